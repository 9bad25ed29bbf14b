"""Money lost from the OEE engine's losses and the example plant's rates: exact amounts by machine, line and
local day; the product's unit cost before the machine's; GET /api/v1/oee's cost; the money page and the home
page's tiles showing the same figures."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from core.money.money_lost import money_lost
from core.oee.service import Scope, local_day_window, shift_window, window_between
from core.persistence.plant_tables import EquipmentRow
from core.plant.equipment import machines, site_calendar
from core.products import record_product_change
from core.timeline import CountAt, StateAt, add_counts, add_state_changes
from tests.support.dash_calls import call, text_of

# Monday 2 March 2026, Early shift 06:00-14:00 New York (11:00-19:00 UTC), breaks 09:00+15 and 11:30+30
SHIFT_START = datetime(2026, 3, 2, 11, tzinfo=timezone.utc)
NOW = datetime(2026, 3, 4, 12, tzinfo=timezone.utc)
# BAG1 (420/h, unit cost 1.20) over the Early shift: 26,100 s planned, 60 min down (420.00), run 22,500 s
# for 20,400 units at 1 s (2,100 s slow: 245.00), 400 rejects (480.00).
BAG1_SHIFT = {"breakdowns": 420.0, "setup": 0.0, "idle": 0.0, "small_stops": 0.0, "reduced_speed": 245.0,
              "rejects": 480.0, "total": 1145.0}


def at(minutes: float) -> datetime:
    return SHIFT_START + timedelta(minutes=minutes)


def machine(db, code):
    return next(m for m in machines(db) if m.code == code)


@pytest.fixture
def bagging(plant):
    """Bagger 1 runs the Early shift with one 60-minute breakdown; 20,000 good and 400 rejects; then a planned
    stop (which costs nothing)."""
    bagger = machine(plant, "BAG1")
    with plant.begin() as session:
        add_state_changes(session, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(60), "down", "MOTOR"),
                                    StateAt(bagger.id, at(120), "running"),
                                    StateAt(bagger.id, at(480), "planned_stop")])
        add_counts(session, [CountAt(bagger.id, at(30), 10_000, 200), CountAt(bagger.id, at(400), 10_000, 200)])
    return plant


def early_shift(db):
    return shift_window(site_calendar(db), date(2026, 3, 2), "Early")


def test_a_machine_s_losses_priced_at_its_rates(database_url, bagging):
    money = money_lost(bagging, Scope(equipment="BAG1"), early_shift(bagging), NOW)
    assert money.by_category() == pytest.approx(BAG1_SHIFT) and money.currency == "USD"
    assert money.days == ("2026-03-02",) and money.not_priced == ()


def test_rejects_cost_the_unit_cost_of_the_product_being_made(database_url, bagging):
    bagger = machine(bagging, "BAG1")
    with bagging.begin() as session:  # P-100 (9.50, 1.2 s on BAG1) until 10:00, then P-200 (4.20, 0.8 s)
        record_product_change(session, bagger.id, at(-30), "P-100", "manual")
        record_product_change(session, bagger.id, at(240), "P-200", "manual")
    costs = money_lost(bagging, Scope(equipment="BAG1"), early_shift(bagging), NOW).by_category()
    # 200 rejects of each product; the ideal time is unchanged: 10,200 x 1.2 + 10,200 x 0.8 = 20,400 s
    assert costs["rejects"] == pytest.approx(200 * 9.5 + 200 * 4.2)
    assert costs["reduced_speed"] == pytest.approx(245.0) and costs["total"] == pytest.approx(420 + 245 + 2740)


def test_a_line_is_the_sum_of_its_machines(database_url, bagging):
    mixer = machine(bagging, "MIX1")  # 380/h: 30 min down, then runs without counting a unit
    with bagging.begin() as session:
        add_state_changes(session, [StateAt(mixer.id, at(0), "running"), StateAt(mixer.id, at(200), "down"),
                                    StateAt(mixer.id, at(230), "running")])
    money = money_lost(bagging, Scope(line="L1"), early_shift(bagging), NOW)
    mix = {"breakdowns": 190.0, "reduced_speed": (26_100 - 1_800) / 3600 * 380.0}
    assert money.by_category()["total"] == pytest.approx(BAG1_SHIFT["total"] + mix["breakdowns"] + mix["reduced_speed"])
    by_machine = {r["equipment"]: r["total"] for r in money.by_machine().to_dict("records")}
    assert by_machine == pytest.approx({"MIX1": 190.0 + mix["reduced_speed"], "BAG1": 1145.0, "CHK1": 0.0,
                                        "PAL1": 0.0})
    assert money.by_line()["total"].tolist() == pytest.approx([sum(by_machine.values())])


def test_a_night_is_priced_on_the_local_days_it_spans(database_url, plant):
    bagger = machine(plant, "BAG1")  # down the whole Night shift, Monday 22:00 to Tuesday 06:00 (break 02:00+30)
    night = datetime(2026, 3, 3, 3, tzinfo=timezone.utc)  # 22:00 EST
    with plant.begin() as session:
        add_state_changes(session, [StateAt(bagger.id, night, "down")])
    window = window_between(night, night + timedelta(hours=8))
    money = money_lost(plant, Scope(equipment="BAG1"), window, NOW)
    assert money.by_day()[["day", "breakdowns"]].values.tolist() == [["2026-03-02", pytest.approx(2 * 420.0)],
                                                                      ["2026-03-03", pytest.approx(5.5 * 420.0)]]
    assert money.by_category()["total"] == pytest.approx(7.5 * 420.0)


@pytest.fixture
def api(client, api_key):
    def get(**params):
        return client.get("/api/v1/oee", query_string=params, headers={"Authorization": f"Bearer {api_key}"})

    return get


def test_the_api_gives_the_cost_of_the_losses(database_url, bagging, api):
    body = api(equipment="BAG1", date="2026-03-02", shift="Early").json
    assert body["cost"] == {**BAG1_SHIFT, "currency": "USD", "not_priced": []}
    assert body["oee"] == pytest.approx(20_000 / 26_100)  # the existing fields are still there
    line = api(line="L1", start="2026-03-02T11:00:00Z", end="2026-03-02T19:00:00Z").json
    assert line["cost"]["total"] == 1145.0  # MIX1, CHK1 and PAL1 have rates but no planned time: 0 each


def test_the_api_cost_is_null_where_no_machine_has_a_rate(database_url, bagging, api):
    with bagging.begin() as session:
        session.execute(update(EquipmentRow).where(EquipmentRow.code == "BAG1").values(cost_per_hour=0, unit_cost=0))
    body = api(equipment="BAG1", date="2026-03-02", shift="Early").json
    assert body["cost"] is None and body["reject_count"] == 400
    line = api(line="L1", date="2026-03-02", shift="Early").json
    assert line["cost"]["total"] == 0.0 and line["cost"]["not_priced"] == ["BAG1"]


def test_the_money_page_shows_the_figures_of_the_api_for_the_same_window(database_url, bagging, api, login_as):
    window = local_day_window(site_calendar(bagging), date(2026, 3, 2), date(2026, 3, 2))
    cost = api(line="L1", start=window.start.isoformat(), end=window.end.isoformat()).json["cost"]
    manager = login_as("production_manager")
    shown = call(manager, ["money-summary.children", "money-category.figure", "money-trend.figure",
                           "money-lines.rowData", "money-machines.rowData", "money-notes.children"],
                 ["2026-03-02", "2026-03-02", "L1"])
    line_row = shown["money-lines.rowData"][0]
    assert {key: round(line_row[key], 2) for key in BAG1_SHIFT} == {k: cost[k] for k in BAG1_SHIFT}
    assert cost["total"] == pytest.approx(money_lost(bagging, Scope(line="L1"), window, NOW).by_category()["total"])
    assert "USD 1,145" in text_of(shown["money-summary.children"])
    bars = {t["name"]: t["y"] for t in shown["money-trend.figure"]["data"]}
    assert bars["Breakdowns"] == [420.0] and bars["Rejects"] == [480.0]
    assert [r["key"] for r in shown["money-machines.rowData"]] == ["BAG1", "MIX1", "CHK1", "PAL1"]
    assert f"line=L1&start={window.start.isoformat()}&end=" in text_of(shown["money-notes.children"])


def test_a_preset_sets_the_days_and_days_chosen_by_hand_clear_it(database_url, plant, login_as):
    manager = login_as("production_manager")
    outputs = ["money-dates.start_date", "money-dates.end_date", "money-preset.value"]
    chosen = call(manager, outputs, ["7d", None, None])
    first, last = date.fromisoformat(chosen["money-dates.start_date"]), date.fromisoformat(
        chosen["money-dates.end_date"])
    assert (last - first).days == 6
    by_hand = call(manager, outputs, ["7d", "2026-03-02", "2026-03-03"], changed="money-dates.start_date")
    assert by_hand == {"money-preset.value": None}


def test_home_shows_money_lost_today_only_to_those_who_may_see_money(database_url, plant, login_as):
    manager = call(login_as("production_manager"), ["home-today.children"], [1])
    assert "home-today-money" in text_of(manager) and "home-today-oee" in text_of(manager)
    engineer = call(login_as("engineer"), ["home-today.children"], [1])
    assert "home-today-oee" in text_of(engineer) and "home-today-money" not in text_of(engineer)
    assert call(login_as("operator"), ["home-today.children"], [1]) == {"home-today.children": []}
    refused = login_as("engineer").post("/_dash-update-component", json={
        "output": "..money-summary.children...money-category.figure...money-trend.figure...money-lines.rowData"
                  "...money-machines.rowData...money-notes.children..",
        "outputs": [], "inputs": [], "state": [], "changedPropIds": []})
    assert refused.status_code == 403


@pytest.fixture
def slow_then_fast(plant):
    """BAG1 (1 s ideal cycle, 420/h) runs the Early shift on two days, 26,100 s planned each: Monday 24,300 units
    (1,800 s slow), Tuesday 26,700 units (600 s faster than ideal)."""
    bagger = machine(plant, "BAG1")
    with plant.begin() as session:
        for day, units in ((0, 24_300), (1, 26_700)):
            start = SHIFT_START + timedelta(days=day)
            add_state_changes(session, [StateAt(bagger.id, start, "running"),
                                        StateAt(bagger.id, start + timedelta(hours=8), "planned_stop")])
            add_counts(session, [CountAt(bagger.id, start + timedelta(hours=4), units, 0)])
    return plant


def test_a_window_is_priced_as_its_losses_say_and_each_day_of_the_trend_on_its_own(database_url, slow_then_fast,
                                                                                  api):
    window = local_day_window(site_calendar(slow_then_fast), date(2026, 3, 2), date(2026, 3, 3))
    body = api(equipment="BAG1", start=window.start.isoformat(), end=window.end.isoformat()).json
    assert body["losses"]["reduced_speed_s"] == pytest.approx(1200.0)
    assert body["cost"]["reduced_speed"] == round(1200 / 3600 * 420.0, 2) == 140.0  # its losses x its rate
    money = money_lost(slow_then_fast, Scope(equipment="BAG1"), window, NOW)
    assert money.by_category()["reduced_speed"] == pytest.approx(140.0)
    assert money.by_machine()["total"].tolist() == pytest.approx([140.0])
    assert money.by_day()["reduced_speed"].tolist() == pytest.approx([210.0, 0.0])  # the trend, day by day


def test_a_report_prices_a_window_as_the_money_page_and_the_api(database_url, slow_then_fast, api):
    from core.reports.oee_source import window_figures
    from core.reports.product_stretches import product_stretches
    from core.reports.sections import money_section

    window = local_day_window(site_calendar(slow_then_fast), date(2026, 3, 2), date(2026, 3, 3))
    mixer = machine(slow_then_fast, "MIX1")  # a second machine of the line on Tuesday: 90 min run counting
    # nothing (5,400 s slow: 570.00), 30 min down (190.00)
    with slow_then_fast.begin() as session:
        add_state_changes(session, [StateAt(mixer.id, at(24 * 60), "running"), StateAt(mixer.id, at(25 * 60), "down"),
                                    StateAt(mixer.id, at(25 * 60 + 30), "running"),
                                    StateAt(mixer.id, at(25 * 60 + 60), "planned_stop")])
    source = window_figures(slow_then_fast, Scope(line="L1"), window, NOW)
    section = money_section(source, product_stretches(slow_then_fast, source, window, NOW), "USD")
    page = money_lost(slow_then_fast, Scope(line="L1"), window, NOW).by_category()
    cost = api(line="L1", start=window.start.isoformat(), end=window.end.isoformat()).json["cost"]
    assert section.kpis[0].value == pytest.approx(page["total"]) and cost["total"] == round(page["total"], 2)
    assert dict(section.tables[0].rows)["Reduced speed"] == pytest.approx(page["reduced_speed"])
    assert page["reduced_speed"] == pytest.approx(140.0 + 570.0) and page["breakdowns"] == pytest.approx(190.0)
