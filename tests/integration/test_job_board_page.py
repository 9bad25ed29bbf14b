"""The job assignment board's callbacks, called as the browser calls them: bad input shows its reason on the page."""

import json

import pytest

from core.job_workflow.work_orders import list_work_orders
from pages.ids import JobBoard as ids
from tests.support.dash_calls import call

CREATE_OUTPUT = [f"{ids.MESSAGE}.children"]


@pytest.mark.parametrize("quantity, due, message", [
    (2.5, "2026-03-31", "the quantity must be a whole number from 1"),
    (10, "2026-13-45", "the due date '2026-13-45' is not a date"),
])
def test_a_bad_work_order_is_refused_with_its_reason_on_the_page(login_as, plant, quantity, due, message):
    manager = login_as("production_manager")
    out = call(manager, CREATE_OUTPUT, [1], ["WO-9", "P-100", quantity, "line:L1", due, ""])
    shown = json.dumps(out[f"{ids.MESSAGE}.children"])
    assert message in shown and '"color": "danger"' in shown
    assert list_work_orders(plant) == []  # 2.5 was not cut to 2


def test_a_good_work_order_is_created_from_the_pages_values(login_as, plant):
    manager = login_as("production_manager")
    out = call(manager, CREATE_OUTPUT, [1], ["WO-9", "P-100", 12, "line:L1", "2026-03-31", "LOT-1"])
    assert "Work order WO-9 created: 12" in json.dumps(out[f"{ids.MESSAGE}.children"])
    assert [(w.number, w.quantity) for w in list_work_orders(plant)] == [("WO-9", 12)]
