"""The maintenance pages through their Dash callbacks, as dash-renderer calls them: opening the new-order page
for a stop changes nothing, one tap makes the order and leads to its page (a second tap to the same one), the
order page moves it, the list shows it; a role without workorders.manage is refused and stores nothing."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from core.persistence.maintenance_tables import MaintenanceOrderRow
from core.plant.equipment import machines
from core.persistence.timeline_tables import StateChange
from core.timeline import StateAt, add_state_changes
from pages.ids import MaintenanceIds as ids
from tests.support.dash_calls import call, text_of

NEW = [f"{ids.SOURCE}.children", f"{ids.CREATE}.disabled", f"{ids.CREATE}.children"]
CREATE = [f"{ids.GO}.href", f"{ids.CREATE_MESSAGE}.children"]


def a_stop(db) -> int:
    now = datetime.now(timezone.utc)
    bagger = next(m.id for m in machines(db) if m.code == "BAG1")
    with db.begin() as session:
        add_state_changes(session, [StateAt(bagger, now - timedelta(hours=2), "running", source="plc"),
                                    StateAt(bagger, now - timedelta(minutes=40), "down", source="plc",
                                            fault_code="F04"),
                                    StateAt(bagger, now - timedelta(minutes=10), "running", source="plc")])
    with db() as session:
        return session.scalar(select(StateChange.id).where(StateChange.state == "down"))


def orders(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(MaintenanceOrderRow))


def test_one_tap_from_a_stop_makes_the_order_and_leads_to_its_page(database_url, plant, login_as):
    stop_id = a_stop(plant)
    mechanic = login_as("maintenance")
    shown = call(mechanic, NEW, [{"stop": str(stop_id), "andon": None}])
    assert shown[f"{ids.CREATE}.disabled"] is False and "BAG1" in text_of(shown[f"{ids.SOURCE}.children"])
    assert orders(plant) == 0  # looking is not creating
    made = call(mechanic, CREATE, [1], [{"stop": str(stop_id), "andon": None}])
    with plant() as session:
        order_id = session.scalar(select(MaintenanceOrderRow.id))
    assert made[f"{ids.GO}.href"] == f"/maintenance/work-orders/view?id={order_id}"
    assert call(mechanic, CREATE, [2], [{"stop": str(stop_id)}])[f"{ids.GO}.href"] == made[f"{ids.GO}.href"]
    assert orders(plant) == 1
    again = call(mechanic, NEW, [{"stop": str(stop_id)}])
    assert again[f"{ids.CREATE}.children"] == f"Show work order {order_id}"

    page = call(mechanic, [f"{ids.ORDER_TITLE}.children", f"{ids.ORDER_FACTS}.children", f"{ids.TASKS}.children",
                           f"{ids.ASSIGN_TO}.options", f"{ids.ASSIGN_TO}.value", f"{ids.START}.style",
                           f"{ids.COMPLETE_CARD}.style", f"{ids.ASSIGN}.disabled", f"{ids.ASSIGN_TO}.disabled",
                           f"{ids.CURRENCY}.children"], [str(order_id), 0])
    assert page[f"{ids.ORDER_TITLE}.children"].startswith(f"Work order {order_id}: Repair BAG1")
    assert page[f"{ids.START}.style"] == {} and page[f"{ids.COMPLETE_CARD}.style"] == {"display": "none"}
    acts = [f"{ids.ORDER_MESSAGE}.children", f"{ids.REFRESH}.data"]
    state = [str(order_id), None, None, None, None, 0]
    started = call(mechanic, acts, [None, 1, None], state, changed=f"{ids.START}.n_clicks")
    assert "Started" in text_of(started[f"{ids.ORDER_MESSAGE}.children"])
    refused = call(mechanic, acts, [None, 1, 1], [str(order_id), None, "", "", "", 1],
                   changed=f"{ids.COMPLETE}.n_clicks")
    assert "how long the work took" in text_of(refused[f"{ids.ORDER_MESSAGE}.children"])
    done = call(mechanic, acts, [None, 1, 2], [str(order_id), None, "25", "fuse 10 A", "3.20", 1],
                changed=f"{ids.COMPLETE}.n_clicks")
    assert "completed: 25 min" in text_of(done[f"{ids.ORDER_MESSAGE}.children"])

    listed = call(mechanic, [f"{ids.GRID}.rowData", f"{ids.OVERDUE}.children"], ["done", "BAG1", "any", None])
    assert [(r["key"], r["state"], r["machine"]) for r in listed[f"{ids.GRID}.rowData"]] == [
        (str(order_id), "Done", "BAG1")]


def test_a_role_without_work_orders_is_refused_and_nothing_is_stored(plant, login_as):
    stop_id = a_stop(plant)
    operator = login_as("operator")
    response = operator.post("/_dash-update-component", json={
        "output": f"..{ids.GO}.href...{ids.CREATE_MESSAGE}.children..",
        "outputs": [{"id": ids.GO, "property": "href"}, {"id": ids.CREATE_MESSAGE, "property": "children"}],
        "inputs": [{"id": ids.CREATE, "property": "n_clicks", "value": 1}],
        "state": [{"id": ids.REQUEST, "property": "data", "value": {"stop": str(stop_id)}}],
        "changedPropIds": [f"{ids.CREATE}.n_clicks"]})
    assert response.status_code == 403 and orders(plant) == 0
    # the shift manager's stops page says whom to ask instead of opening a page the role may not use
    manager = login_as("shift_manager")
    told = call(manager, [f"{ids.STOPS_GO}.href", "stops-message.children"], [1], [[{"id": stop_id}]])
    assert "ask maintenance" in text_of(told["stops-message.children"]) and f"{ids.STOPS_GO}.href" not in told
    admin = login_as("admin")
    sent = call(admin, [f"{ids.STOPS_GO}.href", "stops-message.children"], [1], [[{"id": stop_id}]])
    assert sent[f"{ids.STOPS_GO}.href"] == f"/maintenance/work-orders/new?stop={stop_id}"
    assert orders(plant) == 0
