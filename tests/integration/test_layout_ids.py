"""Every id a callback names exists in the layout of the app shell or a page (app.validation_layout)."""

from dash._utils import split_callback_id


def layout_ids(component) -> set:
    """Plain string ids (pattern-matching dict ids are left out: they are checked by their callbacks' tests)."""
    found = [getattr(component, "id", None)] + [getattr(child, "id", None) for child in component._traverse()]
    return {i for i in found if isinstance(i, str)}


def test_every_callback_id_is_in_the_validation_layout(app, login_as):
    admin = login_as("admin")
    dependencies = admin.get("/_dash-dependencies").json  # the first request builds the validation layout
    known = layout_ids(app.validation_layout)
    missing = []
    for spec in dependencies:
        outputs = split_callback_id(spec["output"])
        outputs = outputs if isinstance(outputs, list) else [outputs]
        for item in outputs + spec["inputs"] + spec["state"]:
            if isinstance(item["id"], dict) or item["id"].startswith("{"):
                continue  # pattern-matching ids belong to components made by callbacks (board tiles)
            if item["id"] not in known:
                missing.append(f"{spec['output']}: {item['id']}")
    assert missing == []


def test_every_page_declares_a_known_permission_and_area():
    import dash

    from core.permissions import PERMISSIONS
    from dashapp.page_access import AREAS

    for page in dash.page_registry.values():
        assert page["permission"] in PERMISSIONS, page["module"]
        assert page.get("area") in (None, *AREAS), page["module"]
