"""The words of the risk board and the model page, from hand-made views (core.ml.views): what is predicted, the
percentages, the verdict against the baseline (plainly when the model does not beat it), the links of a machine,
drift against the retraining threshold and the confirmation before the active version changes."""

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from plotly.utils import PlotlyJSONEncoder

from callbacks.ml_model_presenter import (active_card, active_facts, anomaly_figures, confirm_words, drift_figure,
                                          drift_words, version_rows, versions_table)
from callbacks.risk_presenter import (accuracy_panel, ago, driver_words, holdout_verdict, machine_links, machine_rows,
                                      metric_lines, metrics_from, percent, risk_level, scored_words, target_words)
from core.ml.views import Achieved, Driver, Metrics, ModelOverview, RiskBoard, RiskRow, VersionSummary

def shown(component) -> str:
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


NOW = datetime(2026, 3, 4, 15, 20, tzinfo=timezone.utc)  # 10:20 in New York
ZONE = ZoneInfo("America/New_York")


def version(number=2, status="active", auc=0.81, baseline_auc=0.64, **changes) -> VersionSummary:
    fields = dict(id=10 + number, model="downtime_risk", version=number, status=status,
                  trained_at=NOW - timedelta(days=1), trained_by="job:retrain_models",
                  train_start=datetime(2026, 1, 5, 5, tzinfo=timezone.utc),
                  train_end=datetime(2026, 2, 16, 5, tzinfo=timezone.utc),
                  holdout_start=datetime(2026, 2, 16, 9, tzinfo=timezone.utc),
                  holdout_end=datetime(2026, 3, 2, 5, tzinfo=timezone.utc), features=("hour", "faults_1h:F12"),
                  metrics={"rows": 1200, "positives": 90, "roc_auc": auc, "brier": 0.061, "precision_at_k": 0.42,
                           "k": 3},
                  baseline_metrics={"rows": 1200, "positives": 90, "roc_auc": baseline_auc, "brier": 0.070,
                                    "precision_at_k": 0.21, "k": 3},
                  checksum="ab" * 32, decision="beats the baseline on the holdout; made active",
                  activated_at=NOW - timedelta(hours=20), activated_by="admin")
    return VersionSummary(**{**fields, **changes})


def row(machine="BAG1", probability=0.34, baseline=0.12, made_at=NOW - timedelta(minutes=20)) -> RiskRow:
    return RiskRow(equipment_id=1, machine=machine, machine_name="Bagger 1", line="L1", probability=probability,
                   baseline_probability=baseline, made_at=made_at,
                   drivers=(Driver("faults_1h:F12", "fault F12 (Photo-eye fault) 3 times in the last hour", 0.11),
                            Driver("drift_1h", "cycle time 8% slow over the last hour", 0.004)))


def test_what_is_predicted_reads_as_the_settings_say():
    assert target_words(10.0, 4.0) == "Chance of an unplanned stop of 10 minutes or more in the next 4 hours"
    assert target_words(7.5, 1) == "Chance of an unplanned stop of 7.5 minutes or more in the next hour"


def test_percentages_keep_a_decimal_only_when_small_and_say_so_when_unmeasured():
    assert (percent(0.34), percent(0.123), percent(0.042), percent(0.0), percent(None)) == (
        "34 %", "12 %", "4.2 %", "0 %", "not measurable")


def test_when_it_was_scored_in_the_site_time_and_how_long_ago():
    assert scored_words(NOW - timedelta(minutes=20), NOW, ZONE) == "scored 10:00 (20 min ago)"
    assert scored_words(NOW - timedelta(days=2), NOW, ZONE) == "scored Mon 02 Mar 10:20 (2 days ago)"
    assert ago(NOW - timedelta(seconds=30), NOW) == "just now"


def test_a_driver_shows_the_points_it_adds_when_they_count():
    first, second = row().drivers
    assert driver_words(first) == "fault F12 (Photo-eye fault) 3 times in the last hour (+11 pts)"
    assert driver_words(second) == "cycle time 8% slow over the last hour"


def test_a_machine_links_to_its_fault_analysis_and_tag_trends():
    assert machine_links(row()) == {"Fault analysis": "/engineering/faults?line=L1&machine=BAG1",
                                    "Tag trends": "/engineering/tags?machine=BAG1"}


def test_the_bar_colour_compares_with_the_usual_chance():
    assert [risk_level(row(probability=p, baseline=0.1)) for p in (0.25, 0.15, 0.08)] == ["high", "above", "usual"]


def test_metrics_side_by_side_mark_the_better_one():
    lines = metric_lines(metrics_from(version().metrics), metrics_from(version().baseline_metrics))
    assert [(m.measure, m.model, m.baseline, m.better) for m in lines] == [
        ("ROC-AUC", "0.810", "0.640", "model"), ("Precision at top 3", "42 %", "21 %", "model"),
        ("Brier score", "0.061", "0.070", "model")]


def test_a_figure_that_could_not_be_measured_is_said_so_never_invented():
    unmeasured = Metrics(rows=40, positives=0, roc_auc=None, brier=0.01, precision_at_k=None, k=3)
    lines = metric_lines(unmeasured, None)
    assert [(m.model, m.baseline, m.better) for m in lines] == [
        ("not measurable", "not measurable", None), ("not measurable", "not measurable", None),
        ("0.010", "not measurable", None)]


def test_the_verdict_says_plainly_when_the_model_does_not_beat_the_baseline():
    color, words = holdout_verdict(version(auc=0.60), False, ZONE)
    assert color == "warning" and "does NOT beat the baseline" in words and "16 Feb – 02 Mar 2026" in words
    assert holdout_verdict(version(), True, ZONE)[0] == "success"
    assert holdout_verdict(None, None, ZONE) == ("info", "No model is active: there is no measured accuracy to show.")


def test_the_accuracy_panel_shows_holdout_and_achieved_figures():
    achieved = Achieved(since=NOW - timedelta(days=28),
                        model=Metrics(rows=500, positives=30, roc_auc=0.77, brier=0.05, precision_at_k=0.4, k=3),
                        baseline=Metrics(rows=500, positives=30, roc_auc=0.66, brier=0.06, precision_at_k=0.2, k=3),
                        note="Predictions of the last 4 weeks whose horizon has passed.")
    text = shown(accuracy_panel(version(), True, achieved, ZONE))
    for figure in ("0.810", "0.640", "0.770", "0.660", "Achieved since Wed 04 Feb", "500 (30)", "1,200 (90)",
                   "Holdout 16 Feb – 02 Mar"):
        assert figure in text
    waiting = shown(accuracy_panel(version(), True, None, ZONE))
    assert "no prediction of version 2 has reached the end of its horizon yet" in waiting
    assert "Achieved since" not in waiting


def test_machines_are_listed_riskiest_first_or_the_note_says_why_not():
    board = RiskBoard(rows=(row("BAG1", 0.34), row("MIX1", 0.2)), version=version(), stop_minutes=10,
                      horizon_hours=4, beats_baseline=True, note="")
    shown = machine_rows(board, NOW, ZONE)
    assert [getattr(part, "id", None) for part in shown] == [None, "risk-machine-BAG1", "risk-machine-MIX1"]
    assert shown[0].children.startswith("Riskiest first. The white mark on each bar is the machine's usual chance")
    empty = RiskBoard(rows=(), version=None, stop_minutes=10, horizon_hours=4, beats_baseline=None,
                      note="No model is active yet: run `floorboard ml train`.")
    [alert] = machine_rows(empty, NOW, ZONE)
    assert alert.children == "No model is active yet: run `floorboard ml train`."


def test_an_old_scoring_is_flagged():
    board = RiskBoard(rows=(row(made_at=NOW - timedelta(hours=5)),), version=version(), stop_minutes=10,
                      horizon_hours=4, beats_baseline=True, note="")
    words = "not scored since: out of its shift, or the jobs process is not running"
    assert words in shown(machine_rows(board, NOW, ZONE)[1])


def test_the_active_version_facts_name_windows_features_and_checksum():
    facts = dict(active_facts(version(), ZONE))
    assert facts["Version"] == "2 — active since Tue 03 Mar 14:20 by admin"
    assert facts["Training window"] == "Mon 05 Jan 2026 00:00 – Mon 16 Feb 2026 00:00"
    card = shown(active_card(overview(), ZONE))
    assert "2 features" in card and "hour, faults_1h:F12" in card
    assert facts["Artefact"] == "SHA-256 abababababab…"


def overview(drift=None, versions=None) -> ModelOverview:
    versions = versions or (version(3, "candidate", 0.7, 0.64, activated_at=None, activated_by=None,
                                    decision="does not beat the active version"), version())
    active = next((v for v in versions if v.status == "active"), None)
    return ModelOverview(model="downtime_risk", active=active, versions=versions, achieved=None,
                         drift=drift or {}, drift_checked_at=NOW if drift else None, retrain_psi=0.25)


def test_drift_names_the_features_past_the_threshold():
    color, words = drift_words(overview({"hour": 0.02, "faults_1h:F12": 0.4, "drift_1h": 0.3}), ZONE)
    assert color == "warning"
    assert "2 of 3 features reached the retraining threshold of 0.25 (faults_1h:F12 0.40, drift_1h 0.30)" in words
    assert drift_words(overview({"hour": 0.02}), ZONE)[0] == "success"
    assert "not been checked for the active version yet: the predictions job (score_predictions) checks it every hour" \
        in drift_words(overview(), ZONE)[1]


def test_the_drift_chart_has_a_bar_per_feature_and_the_threshold_line():
    figure = drift_figure(overview({"hour": 0.02, "faults_1h:F12": 0.4}))
    assert list(figure.data[0].y) == ["hour", "faults_1h:F12"]  # the largest on top
    assert figure.data[0].marker.color[1] == "#fa5252"
    assert figure.layout.shapes[0].x0 == 0.25


def test_versions_offer_make_active_and_roll_back_only_to_managers():
    rows = version_rows(overview().versions, ZONE)
    assert [(r["version"], r["status"], r["first"], r["second"], r["can_activate"], r["is_active"])
            for r in rows] == [(3, "candidate", "0.700", "0.640", True, False), (2, "active", "0.810", "0.640",
                                                                               False, True)]
    managed = shown(versions_table(overview(), ZONE, True, "make", "back"))
    assert '"type": "make", "version": 13' in managed and '"type": "back"' not in managed  # nothing to go back to
    earlier = (version(3, replaced_version_id=12), version(2, "retired", activated_at=NOW - timedelta(days=9)))
    managed = shown(versions_table(overview(versions=earlier), ZONE, True, "make", "back"))
    assert '"type": "back", "model": "downtime_risk"' in managed and '"version": 12' in managed
    # roll back goes to the version the active one replaced: none, or a rejected one, is no roll back
    for active in (version(3), version(3, replaced_version_id=11)):
        versions = (active, version(2, "retired", activated_at=NOW - timedelta(days=9)),
                    version(1, "rejected", activated_at=None))
        assert '"type": "back"' not in shown(versions_table(overview(versions=versions), ZONE, True, "make", "back"))
    read_only = shown(versions_table(overview(), ZONE, False, "make", "back"))
    assert "Make active" not in read_only and "Roll back" not in read_only


def test_a_version_whose_artefact_was_dropped_says_so_and_cannot_be_made_active():
    dropped = version(1, "retired", artefact_kept=False, decision="Made active: beats the baseline.")
    row = version_rows((version(), dropped), ZONE)[1]
    assert not row["can_activate"] and "artefact was removed to save space" in row["decision"]
    assert "Make active" not in shown(versions_table(overview(versions=(version(), dropped)), ZONE, True, "make",
                                                     "back"))


def test_the_confirmation_says_what_changes():
    assert confirm_words({"action": "activate", "model": "downtime_risk", "version_id": 13, "version": 3,
                          "active": 2}).startswith(
        "Make version 3 of the downtime risk model active? Version 2, active now, is retired. The next scoring uses "
        "version 3.")
    assert confirm_words({"action": "roll_back", "model": "downtime_risk", "version": 2}).startswith(
        "Roll the downtime risk model back: retire version 2")


def test_the_anomaly_model_is_judged_by_what_followed_its_flags():
    anomaly = version(model="anomaly", metrics={
        "holdout_minutes": 12000, "flagged_minutes": 240, "flagged_share": 0.02, "stretches": 31,
        "long_stop_minutes": 10.0, "lift_hours": 2, "long_stop_rate_after_flagged": 0.09,
        "long_stop_rate_after_unflagged": 0.03, "lift": 3.0, "beats_baseline": True}, baseline_metrics={})
    assert anomaly_figures(anomaly) == [
        ("Running minutes scored", "12,000"), ("Minutes flagged", "240 (2.0 %) in 31 stretches"),
        ("Followed by an unplanned stop of 10 min or more within 2 h: after a flagged minute", "9.0 %"),
        ("… after an unflagged minute", "3.0 %"), ("Lift (flagged against unflagged)", "3.0×")]
    [row] = version_rows((anomaly,), ZONE)
    assert (row["first"], row["second"]) == ("2.0 %", "3.0×")
