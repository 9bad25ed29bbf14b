"""The trials page's callbacks, called as the browser calls them: plan, start, complete a trial and read its OEE
against the baseline; bad input shows its reason and stores nothing; only trials.manage roles change trials."""

import json

from callbacks.trials import BUTTONS, FORM
from core.trials.views import list_trials
from pages.ids import Trials as ids
from tests.integration.test_trials import write_known_timeline
from tests.support.dash_calls import call

MESSAGE = [f"{ids.MESSAGE}.children", f"{ids.REFRESH}.data"]
FORM_OUT = [f"{i}.{p}" for i, p in FORM + BUTTONS] + [f"{ids.HEADING}.children"]
PANEL = [f"{ids.SUMMARY}.children", f"{ids.CHART}.figure"]
# Plant time is New York: the Early shift of Monday 16 February 2026 (see test_trials)
PLAN = ["Film tension 40 N", "L1", "2026-02-16T06:00", "2026-02-16T14:00", "tension = 40 N", "fewer film breaks"]


def shown(out) -> str:
    return json.dumps(out[f"{ids.MESSAGE}.children"], ensure_ascii=False)


def test_plan_start_complete_and_compare_a_trial(login_as, plant):
    write_known_timeline(plant)
    engineer = login_as("engineer")
    out = call(engineer, MESSAGE, [1], [*PLAN, 0], trigger=ids.CREATE)
    assert "Trial “Film tension 40 N” on L1 planned." in shown(out) and out[f"{ids.REFRESH}.data"] == 1
    rows = call(engineer, [f"{ids.GRID}.rowData"], [1])[f"{ids.GRID}.rowData"]
    assert [(r["title"], r["line"], r["state"], r["when"], r["success"]) for r in rows] == [
        ("Film tension 40 N", "L1", "planned", "planned 2026-02-16 06:00 – 14:00", "")]
    trial_id = rows[0]["id"]

    form = call(engineer, FORM_OUT, [trial_id, 1])
    assert form[f"{ids.PLANNED_START}.value"] == "2026-02-16T06:00" and form[f"{ids.PARAMETERS}.value"] == PLAN[4]
    assert [form[f"{i}.disabled"] for i in (ids.SAVE, ids.START, ids.COMPLETE, ids.CANCEL)] == [False, False, True,
                                                                                                False]
    out = call(engineer, MESSAGE, [1], [trial_id, "2026-02-16T06:00", 1], trigger=ids.START)
    assert "started" in shown(out)
    out = call(engineer, MESSAGE, [1], [trial_id, "", "", "yes", "2026-02-16T14:00", 2], trigger=ids.COMPLETE)
    assert "write the results before completing the trial" in shown(out) and f"{ids.REFRESH}.data" not in out
    assert list_trials(plant)[0].state == "in_progress"
    out = call(engineer, MESSAGE, [1], [trial_id, "3 breaks, not 6", "keep it", "yes", "2026-02-16T14:00", 2],
               trigger=ids.COMPLETE)
    assert "completed" in shown(out)

    panel = call(engineer, PANEL, [trial_id, 3])
    summary = json.dumps(panel[f"{ids.SUMMARY}.children"], ensure_ascii=False)
    # OEE: 20,000 good units of 1 s in 26,100 s planned against 18,000 in the Friday's 26,100 s
    assert all(text in summary for text in ("76.6%", "69.0%", "+7.7 pts", "2026-02-16 06:00 – 14:00",
                                            "2026-02-02 06:00 – 2026-02-16 06:00",
                                            "7.2 machine-hours of planned production"))
    bars = {trace["name"]: trace["y"] for trace in panel[f"{ids.CHART}.figure"]["data"]}
    assert round(bars["Trial"][3], 4) == 0.7663 and round(bars["Baseline"][3], 4) == 0.6897
    rows = call(engineer, [f"{ids.GRID}.rowData"], [4])[f"{ids.GRID}.rowData"]
    assert (rows[0]["state"], rows[0]["when"], rows[0]["success"]) == ("completed", "2026-02-16 06:00 – 14:00", "yes")
    done = list_trials(plant)[0]
    assert (done.state, done.success, done.results) == ("completed", True, "3 breaks, not 6")


def test_a_bad_plan_shows_its_reason_and_stores_nothing(login_as, plant):
    engineer = login_as("engineer")
    for plan, reason in [([*PLAN[:2], "2026-02-16T14:00", "2026-02-16T06:00", *PLAN[4:]], "the planned end must be"),
                         ([PLAN[0], "L9", *PLAN[2:]], "no active line 'L9'"),
                         ([*PLAN[:2], "Monday", *PLAN[3:]], "'Monday' is not a date and time")]:
        out = call(engineer, MESSAGE, [1], [*plan, 0], trigger=ids.CREATE)
        assert reason in shown(out) and '"color": "danger"' in shown(out)
    assert list_trials(plant) == []


def test_a_viewer_reads_trials_but_cannot_change_them(login_as, plant):
    call(login_as("engineer"), MESSAGE, [1], [*PLAN, 0], trigger=ids.CREATE)
    viewer = login_as("viewer")
    trial_id = call(viewer, [f"{ids.GRID}.rowData"], [1])[f"{ids.GRID}.rowData"][0]["id"]
    form = call(viewer, FORM_OUT, [trial_id, 1])
    assert form[f"{ids.TITLE}.value"] == PLAN[0]
    assert all(form[f"{i}.disabled"] for i in (ids.SAVE, ids.START, ids.COMPLETE, ids.CANCEL))
    spec = next(d for d in viewer.get("/_dash-dependencies").json if d["inputs"][0]["id"] == ids.START)
    response = viewer.post("/_dash-update-component", json={
        "output": spec["output"], "outputs": [], "changedPropIds": [f"{ids.START}.n_clicks"],
        "inputs": [{**spec["inputs"][0], "value": 1}],
        "state": [{**s, "value": v} for s, v in zip(spec["state"], [trial_id, "", 0])]})
    assert response.status_code == 403
    assert list_trials(plant)[0].state == "planned"
