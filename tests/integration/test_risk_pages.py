"""The risk board and the model page, their callbacks called as the browser calls them, on a real store: model
versions recorded through the registry (core.ml.service_versions), predictions stored and joined to what
happened (core.ml.predictions), a drift check; what an engineer reads, and an admin making a version active and
rolling back (only models.manage may, checked on the server)."""

import json
import re
from dataclasses import asdict
from datetime import datetime, timedelta, timezone

import dash

from core.accounts import Actor
from core.ml import registry
from core.ml.predictions import NewPrediction, record_outcomes, store_predictions
from core.ml.promotion import AgainstActive
from core.ml.registry import NewVersion
from core.ml.service_versions import activate_version, register_trained, roll_back
from core.ml.views import Driver, Metrics
from core.permissions import role_has
from core.persistence.ml_tables import MlDriftCheck, MlPrediction
from core.plant.equipment import machines, site_zone
from dashapp.page_access import navigable_pages
from pages.ids import MlModels as models_ids
from pages.ids import RiskBoard as risk_ids
from tests.support.dash_calls import call

NOW = datetime.now(timezone.utc).replace(microsecond=0)  # the pages read the wall clock
RISK = [f"{risk_ids.TARGET}.children", f"{risk_ids.MACHINES}.children"]
ACCURACY = [f"{risk_ids.ACCURACY}.children"]
MODEL = [f"{models_ids.ACTIVE}.children", f"{models_ids.ACCURACY}.children", f"{models_ids.DRIFT}.figure",
         f"{models_ids.DRIFT}.style", f"{models_ids.DRIFT_NOTE}.children", f"{models_ids.VERSIONS}.children"]
CONFIRM = [f"{models_ids.MESSAGE}.children", f"{models_ids.REFRESH}.data", f"{models_ids.CONFIRM_DIALOG}.is_open"]
F12 = Driver("faults_1h:F12", "fault F12 (Photo-eye fault) 3 times in the last hour", 0.14)
SLOW = Driver("cycle_drift_1h", "cycle time 8% slow over the last hour", 0.05)


def text(out) -> str:
    return json.dumps(out, ensure_ascii=False)


def holdout(auc: float, beats: bool, parameters: dict | None = None) -> NewVersion:
    model = Metrics(rows=1200, positives=90, roc_auc=auc, brier=0.061, precision_at_k=0.42, k=3)
    baseline = Metrics(rows=1200, positives=90, roc_auc=0.64, brier=0.070, precision_at_k=0.21, k=3)
    words = "beats" if beats else "does not beat"
    return NewVersion(
        model="downtime_risk", trained_by="job:retrain_models", train_start=NOW - timedelta(days=60),
        train_end=NOW - timedelta(days=14), holdout_start=NOW - timedelta(days=14), holdout_end=NOW - timedelta(days=1),
        features=("hour_of_day", "faults_1h:F12", "cycle_drift_1h"),
        metrics={**asdict(model), "beats_baseline": beats, "verdict": f"{words} the baseline: ROC-AUC {auc:.2f} "
                                                                     "against 0.64"},
        baseline_metrics=asdict(baseline), artefact={"auc": auc}, parameters=parameters or {})


def train(db, auc: float, beats: bool = True, days_ago: float = 3, parameters: dict | None = None):
    def judge(active_artefact, number):
        better = auc > active_artefact["auc"]
        return AgainstActive(number, better, f"{'beats' if better else 'does not beat'} the active version {number}")
    new = holdout(auc, beats, parameters)
    return register_trained(db, new, beats, new.metrics["verdict"], judge, lambda: NOW - timedelta(days=days_ago))


def score(db, version_id: int, made_at: datetime, chances: dict[str, tuple[float, float]],
          horizon: timedelta = timedelta(hours=4)) -> list[int]:
    ids = {m.code: m.id for m in machines(db)}
    with db.begin() as session:
        store_predictions(session, version_id, made_at, made_at + horizon, [
            NewPrediction(ids[code], p, usual, (F12, SLOW) if p > 0.3 else ()) for code, (p, usual) in chances.items()])
        return [row.id for row in session.query(MlPrediction).filter(MlPrediction.made_at == made_at)
                .order_by(MlPrediction.id)]


def a_scored_plant(db):
    """Version 1 (active), scored 20 minutes ago; a week ago four predictions whose outcome is known:
    probabilities 0.8, 0.6, 0.3, 0.1 against stop, no stop, stop, no stop (ROC-AUC 3/4 = 0.750, Brier 0.225);
    the baseline said 0.2 for each (ROC-AUC 0.500, Brier 0.340)."""
    version = train(db, 0.81)
    score(db, version.id, datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=20),
          {"MIX1": (0.22, 0.10), "BAG1": (0.46, 0.12), "CHK1": (0.05, 0.08)})
    old = score(db, version.id, NOW - timedelta(days=7), {"MIX1": (0.8, 0.2), "BAG1": (0.6, 0.2), "CHK1": (0.3, 0.2),
                                                           "PAL1": (0.1, 0.2)})
    with db.begin() as session:
        record_outcomes(session, dict(zip(old, (True, False, True, False))), NOW - timedelta(days=6))
        session.add(MlDriftCheck(model_version_id=version.id, checked_at=NOW - timedelta(hours=2),
                                 window_start=NOW - timedelta(days=7, hours=2), window_end=NOW - timedelta(hours=2),
                                 psi=json.dumps({"hour_of_day": 0.01, "faults_1h:F12": 0.31}), max_psi=0.31,
                                 retrain=True))
    return version


def risk_board_of(client) -> tuple[str, str, str]:
    """(what is predicted, accuracy, machines) as the page shows them, as text."""
    ranking = call(client, RISK, [None])
    accuracy = call(client, ACCURACY, [None])
    return (text(ranking[RISK[0]]), text(accuracy[ACCURACY[0]]), text(ranking[RISK[1]]))


def test_an_engineer_sees_machines_riskiest_first_with_drivers_and_accuracy_against_the_baseline(database_url, plant,
                                                                                                  login_as):
    a_scored_plant(plant)
    target, accuracy, rows = risk_board_of(login_as("engineer"))
    assert "Chance of an unplanned stop of 10 minutes or more in the next 4 hours" in target
    assert [code for code in ("BAG1", "MIX1", "CHK1") if f"risk-machine-{code}" in rows] == ["BAG1", "MIX1", "CHK1"]
    assert rows.index("risk-machine-BAG1") < rows.index("risk-machine-MIX1") < rows.index("risk-machine-CHK1")
    for shown in ("46 %", "usual for this hour: 12 %", "fault F12 (Photo-eye fault) 3 times in the last hour (+14 pts)",
                  "cycle time 8% slow over the last hour (+5 pts)",
                  "/engineering/faults?line=L1&machine=BAG1", "/engineering/tags?machine=BAG1"):
        assert shown in rows, shown
    assert re.search(r"\(2[0-9] min ago\)", rows)  # scored 20 minutes before the page was drawn (a slow host: more)
    assert "Version 1 beats the baseline on the holdout" in accuracy
    assert "On its holdout it beats the baseline: ROC-AUC 0.81 against 0.64" in accuracy
    for shown in ("0.810", "0.640", "42 %", "21 %", "0.061", "0.070", "1,200 (90)",  # holdout: model, baseline
                  "0.750", "0.500", "0.225", "0.340", "4 (2)"):  # achieved
        assert shown in accuracy, shown


def test_achieved_is_the_active_versions_own_record_with_its_own_settings(database_url, plant, login_as):
    """Version 2 (top 1, a 2-hour horizon) replaces version 1: its three predictions of two days ago are measured
    alone: 0.9, 0.5, 0.2 against stop, stop, no stop (ROC-AUC 1.000, Brier (0.01 + 0.25 + 0.04) / 3 = 0.100,
    its top 1 stopped: 100 %); the baseline said 0.3 for each (Brier (0.49 + 0.49 + 0.09) / 3 = 0.357). Version
    1's four (ROC-AUC 0.750) are its own record, not version 2's, and today's top 3 would say 67 %."""
    a_scored_plant(plant)
    second = train(plant, 0.85, days_ago=2.5, parameters={"stop_minutes": 10.0, "horizon_hours": 2.0, "top_k": 1})
    assert second.status == "active"
    made = NOW - timedelta(days=2)
    ids = score(plant, second.id, made, {"MIX1": (0.9, 0.3), "BAG1": (0.5, 0.3), "CHK1": (0.2, 0.3)},
                horizon=timedelta(hours=2))
    with plant.begin() as session:
        record_outcomes(session, dict(zip(ids, (True, True, False))), made + timedelta(hours=3))
    _target, accuracy, _rows = risk_board_of(login_as("engineer"))
    for shown in ("1.000", "0.100", "0.357", "100 %", "3 (2)",
                  "3 predictions of version 2", "2-hour horizon", "its own top 1"):
        assert shown in accuracy, shown
    assert "0.750" not in accuracy and "7 (4)" not in accuracy and "67 %" not in accuracy
    page = text(call(login_as("engineer"), MODEL, ["downtime_risk", 0])[f"{models_ids.ACCURACY}.children"])
    assert "1.000" in page and "3 (2)" in page and "0.750" not in page


def test_with_no_model_the_board_says_so_in_words_and_shows_no_number(database_url, plant, login_as):
    target, accuracy, rows = risk_board_of(login_as("engineer"))
    assert "No downtime_risk model has been trained yet" in rows and "%" not in rows
    assert "No model is active: there is no measured accuracy to show." in accuracy
    assert "in the next 4 hours" in target


def test_a_model_that_does_not_beat_its_baseline_is_never_shown_as_a_risk(database_url, plant, login_as):
    train(plant, 0.58, beats=False)
    _target, accuracy, rows = risk_board_of(login_as("engineer"))
    assert "does not beat the naive baseline, so no risk is shown" in rows and "risk-machine-" not in rows
    assert "No model is active" in accuracy


def test_the_model_page_shows_the_active_version_accuracy_drift_and_versions(database_url, plant, login_as):
    version = a_scored_plant(plant)
    train(plant, 0.79, days_ago=1)  # not better than version 1: kept as a candidate
    page = call(login_as("engineer"), MODEL, ["downtime_risk", 0])
    active, accuracy, drift, drift_style, drift_note, versions = page.values()
    assert drift_style == {}  # shown
    assert f"SHA-256 {version.checksum[:12]}" in text(active) and "3 features" in text(active)
    assert "0.750" in text(accuracy) and "0.810" in text(accuracy)
    assert drift["data"][0]["y"] == ["hour_of_day", "faults_1h:F12"] and drift["layout"]["shapes"][0]["x0"] == 0.25
    assert "1 of 2 features reached the retraining threshold of 0.25 (faults_1h:F12 0.31)" in text(drift_note)
    assert "Kept as a candidate" in text(versions) and "0.790" in text(versions)
    assert "Make active" not in text(versions) and "Roll back" not in text(versions)  # an engineer only reads
    managed = text(call(login_as("admin"), MODEL, ["downtime_risk", 0])[f"{models_ids.VERSIONS}.children"])
    assert "Make active" in managed and "Roll back" not in managed  # no version was active before version 1


def test_the_anomaly_model_is_shown_by_its_own_figures(database_url, plant, login_as):
    figures = {"holdout_minutes": 9000, "flagged_minutes": 180, "flagged_share": 0.02, "stretches": 12,
               "long_stop_minutes": 10.0, "lift_hours": 2, "long_stop_rate_after_flagged": 0.12,
               "long_stop_rate_after_unflagged": 0.04, "lift": 3.0, "beats_baseline": True,
               "verdict": "flags minutes followed by long stops 3.0 times as often as random flagging (lift 1)"}
    new = NewVersion(model="anomaly", trained_by="cli:test", train_start=NOW - timedelta(days=30),
                     train_end=NOW - timedelta(days=7), holdout_start=NOW - timedelta(days=7), holdout_end=NOW,
                     features=("cycle_time", "count_rate"), metrics=figures, baseline_metrics={}, artefact={"lift": 3})
    register_trained(plant, new, True, figures["verdict"], None, lambda: NOW)
    page = call(login_as("engineer"), MODEL, ["anomaly", 0])
    accuracy = text(page[f"{models_ids.ACCURACY}.children"])
    assert "Version 1: flags minutes followed by long stops 3.0 times as often" in accuracy
    assert "180 (2.0 %) in 12 stretches" in accuracy and "3.0×" in accuracy and "ROC-AUC" not in accuracy
    assert page[f"{models_ids.DRIFT}.style"] == {"display": "none"}
    assert "this model's features are not checked" in text(page[f"{models_ids.DRIFT_NOTE}.children"])
    assert "Minutes flagged" in text(page[f"{models_ids.VERSIONS}.children"])


def ask(client, trigger: dict, buttons: list[dict]) -> tuple[int, dict]:
    """Tap one of the pattern-matching buttons, as dash-renderer posts it."""
    spec = next(d for d in client.get("/_dash-dependencies").json if d["output"].startswith(f"..{models_ids.PENDING}"))
    make = [{"id": b, "property": "n_clicks", "value": 1 if b == trigger else None} for b in buttons
            if b["type"] == models_ids.MAKE_ACTIVE]
    back = [{"id": b, "property": "n_clicks", "value": 1 if b == trigger else None} for b in buttons
            if b["type"] == models_ids.ROLL_BACK]
    changed = json.dumps(trigger, sort_keys=True, separators=(",", ":")) + ".n_clicks"
    response = client.post("/_dash-update-component", json={
        "output": spec["output"], "outputs": [{"id": i, "property": p} for i, p in
                                              ((models_ids.PENDING, "data"), (models_ids.CONFIRM_TEXT, "children"),
                                               (models_ids.CONFIRM_DIALOG, "is_open"))],
        "inputs": [make, back], "state": [{**spec["state"][0], "value": "downtime_risk"}], "changedPropIds": [changed]})
    return response.status_code, response.json["response"] if response.status_code == 200 else {}


def statuses(db) -> dict[int, str]:
    with db() as session:
        return {row.version: row.status for row in registry.versions(session, "downtime_risk")}


def test_an_admin_makes_a_candidate_active_and_rolls_back_after_confirming(database_url, plant, login_as):
    first = train(plant, 0.81, days_ago=3)
    second = train(plant, 0.79, days_ago=1)
    buttons = [{"type": models_ids.MAKE_ACTIVE, "version": second.id},
               {"type": models_ids.ROLL_BACK, "model": "downtime_risk"}]
    admin = login_as("admin")
    status, out = ask(admin, buttons[0], buttons)
    assert status == 200 and out[models_ids.CONFIRM_DIALOG]["is_open"] is True
    pending = out[models_ids.PENDING]["data"]
    assert pending == {"action": "activate", "model": "downtime_risk", "version_id": second.id, "version": 2,
                       "active": 1, "active_id": first.id}
    assert out[models_ids.CONFIRM_TEXT]["children"].startswith(
        "Make version 2 of the downtime risk model active? Version 1, active now, is retired.")
    assert statuses(plant) == {1: "active", 2: "candidate"}  # asking changes nothing

    done = call(admin, CONFIRM, [1], [pending, 0])
    assert "Version 2 of downtime_risk is now active." in text(done) and done[f"{models_ids.REFRESH}.data"] == 1
    assert statuses(plant) == {1: "retired", 2: "active"}

    status, out = ask(admin, buttons[1], buttons)
    assert out[models_ids.PENDING]["data"] == {"action": "roll_back", "model": "downtime_risk", "version": 2,
                                               "active_id": second.id}
    done = call(admin, CONFIRM, [1], [out[models_ids.PENDING]["data"], 1])
    assert "Rolled back: version 1 of downtime_risk is active again." in text(done)
    assert statuses(plant) == {1: "active", 2: "retired"} and first.id != second.id


def test_a_refused_change_is_shown_in_words_and_changes_nothing(database_url, plant, login_as):
    first = train(plant, 0.81)
    admin = login_as("admin")
    done = call(admin, CONFIRM, [1], [{"action": "roll_back", "model": "downtime_risk", "version": 1,
                                       "active_id": first.id}, 0])
    assert "downtime_risk: no earlier active version to roll back to (version 1 is active)" in text(done)
    assert '"color": "danger"' in text(done) and f"{models_ids.REFRESH}.data" not in done  # nothing to redraw
    assert statuses(plant) == {1: "active"}


def test_a_change_confirmed_after_another_admin_changed_the_active_version_is_refused(database_url, plant, login_as):
    first = train(plant, 0.81, days_ago=3)
    second = train(plant, 0.79, days_ago=1)
    buttons = [{"type": models_ids.MAKE_ACTIVE, "version": second.id},
               {"type": models_ids.ROLL_BACK, "model": "downtime_risk"}]
    admin, other = login_as("admin"), Actor("admin-bo")
    make_active = ask(admin, buttons[0], buttons)[1][models_ids.PENDING]["data"]  # asked while version 1 is active
    activate_version(plant, second.id, other, NOW)  # meanwhile, another admin
    done = call(admin, CONFIRM, [1], [make_active, 0])
    assert ("downtime_risk: version 1 is no longer the active one: version 2 was made active at "
            f"{NOW.astimezone(site_zone(plant)):%Y-%m-%d %H:%M} by admin-bo; look again before choosing") in text(done)

    back = ask(admin, buttons[1], buttons)[1][models_ids.PENDING]["data"]  # asked while version 2 is active
    roll_back(plant, "downtime_risk", other, NOW + timedelta(minutes=1))
    done = call(admin, CONFIRM, [1], [back, 0])  # would roll version 1 "back" to version 2
    assert "downtime_risk: version 2 is no longer the active one: version 1 was made active at " in text(done)
    assert back["active_id"] == second.id and statuses(plant) == {1: "active", 2: "retired"}


def test_an_engineer_cannot_make_a_version_active_even_by_calling_the_server(database_url, plant, login_as):
    train(plant, 0.81, days_ago=3)
    second = train(plant, 0.79, days_ago=1)
    engineer = login_as("engineer")
    button = {"type": models_ids.MAKE_ACTIVE, "version": second.id}
    assert ask(engineer, button, [button])[0] == 403
    spec = next(d for d in engineer.get("/_dash-dependencies").json if d["inputs"][0]["id"] == models_ids.CONFIRM)
    response = engineer.post("/_dash-update-component", json={
        "output": spec["output"], "outputs": [], "changedPropIds": [f"{models_ids.CONFIRM}.n_clicks"],
        "inputs": [{**spec["inputs"][0], "value": 1}],
        "state": [{**spec["state"][0], "value": {"action": "activate", "model": "downtime_risk",
                                                 "version_id": second.id, "version": 2}},
                  {**spec["state"][1], "value": 0}]})
    assert response.status_code == 403
    assert statuses(plant) == {1: "active", 2: "candidate"}


def test_both_pages_are_in_the_engineering_menu_of_those_who_see_predictions(app):
    def menu(role):
        return [page["relative_path"] for page in navigable_pages(dash.page_registry,
                                                                  lambda p: role_has(role, p)).get("Engineering", [])]
    assert {"/engineering/risk", "/engineering/models"} <= set(menu("engineer"))
    assert {"/engineering/risk", "/engineering/models"} <= set(menu("production_manager"))
    assert "/engineering/risk" not in menu("maintenance") and "/engineering/models" not in menu("operator")
