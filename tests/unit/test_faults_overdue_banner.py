"""The faults page names preventive work past its due time (callbacks/fault_presenter.py overdue_banner)."""

from datetime import datetime, timedelta, timezone

from core.maintenance.order_views import OrderView
from callbacks.fault_presenter import overdue_banner

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def order(number: int, hours_late: float) -> OrderView:
    return OrderView(id=number, kind="preventive", state="open", equipment_code="BAG1", equipment_name="Bagger 1",
                     line_code="L1", title=f"Clean the jaws {number}", description="", stop_id=None, stop_start=None,
                     andon_call_id=None, plan_code="BAG1-JAWS", assignee=None, created_at=NOW - timedelta(days=1),
                     created_by="system", started_at=None, started_by=None, done_at=None, done_by=None,
                     minutes_spent=None, parts_used=None, parts_cost=None,
                     due_at=NOW - timedelta(hours=hours_late), tasks_done=0, tasks_total=2)


def texts(component) -> str:
    if component is None:
        return ""
    if isinstance(component, str):
        return component
    children = getattr(component, "children", None)
    children = children if isinstance(children, list) else [children]
    return " ".join(texts(child) for child in children)


def test_no_overdue_work_shows_nothing():
    assert overdue_banner([], NOW, None) is None


def test_overdue_orders_are_named_with_how_late_and_linked():
    banner = overdue_banner([order(7, 3), order(8, 0.5)], NOW, None)
    text = texts(banner)
    assert "Preventive maintenance overdue: 2 work orders" in text
    assert "BAG1: Clean the jaws 7" in text and "3.0 h overdue" in text and "30 min overdue" in text
    links = [child.children[0].href for child in banner.children[1].children]
    assert links == ["/maintenance/work-orders/view?id=7", "/maintenance/work-orders/view?id=8"]


def test_past_five_the_rest_are_counted():
    assert "and 2 more" in texts(overdue_banner([order(n, n) for n in range(1, 8)], NOW, None))
