"""Where a click on a chart leads: the waterfall's steps and the Pareto's bars to the stops list's address, and
the tags page's window from its address."""

from datetime import date, datetime, timezone
from urllib.parse import parse_qs, urlparse

from callbacks.oee_analysis import Filters, drill_target, stops_link
from callbacks.oee_charts import clicked_reason, clicked_step
from callbacks.tag_browser import focus_window


def click(**point):
    return {"points": [point]}


def test_a_loss_made_of_stops_is_listed_and_the_others_say_why_not():
    assert drill_target(clicked_step(click(x="Breakdowns")), None) == ("loss=breakdowns", None)
    assert drill_target("Changeovers", None) == ("loss=setup", None)
    assert drill_target("Small stops", None) == ("loss=small_stops", None)
    assert drill_target("Planned stops", None) == ("loss=planned_stops", None)
    wanted, why = drill_target("Reduced speed", None)
    assert wanted is None and "no stops make it up" in why
    wanted, why = drill_target("Production rejects", None)
    assert wanted is None and "no stops make them up" in why
    wanted, why = drill_target("Run time", None)
    assert wanted is None and "is a total" in why


def test_a_pareto_bar_gives_its_reason_code_and_no_reason_is_empty():
    assert clicked_reason(click(x="Jam", customdata=[4, "JAM"])) == "JAM"
    assert clicked_reason(click(x="No reason given", customdata=[2, "(no reason)"])) == ""
    assert clicked_reason(click(x="Jam")) is None and clicked_reason(None) is None
    assert drill_target(None, "") == ("reason=", None)


def test_the_stops_link_keeps_the_scope_and_window_and_an_empty_reason():
    chosen = Filters(date(2026, 3, 2), date(2026, 3, 3), "L1", None, "day")
    link = urlparse(stops_link(chosen, reason=""))
    assert link.path == "/engineering/stops"
    assert parse_qs(link.query, keep_blank_values=True) == {"start": ["2026-03-02"], "end": ["2026-03-03"],
                                                             "line": ["L1"], "reason": [""]}


def test_the_tags_page_takes_a_window_and_a_stop_to_shade_from_its_address():
    asked, mark = focus_window({"start": "2026-03-02T11:10:00+00:00", "end": "2026-03-02T12:20:00+00:00",
                                "mark_start": "2026-03-02T11:40:00+00:00", "mark_end": "2026-03-02T11:50:00+00:00"})
    assert asked == (datetime(2026, 3, 2, 11, 10, tzinfo=timezone.utc), datetime(2026, 3, 2, 12, 20, tzinfo=timezone.utc))
    assert mark[0] == datetime(2026, 3, 2, 11, 40, tzinfo=timezone.utc)
    assert focus_window(None) == (None, None)
    assert focus_window({"start": "yesterday", "end": "2026-03-02T12:20:00+00:00"}) == (None, None)
    assert focus_window({"start": "2026-03-02T11:10:00", "end": "2026-03-02T12:20:00"})[0] is None  # no offset
