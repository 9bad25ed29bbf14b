"""Call a page's Dash callback over HTTP the way dash-renderer does, as the logged-in test client."""

import json


def call(client, outputs, inputs, state=(), trigger=None, changed=None):
    """POST one callback the way dash-renderer does; return the response's outputs by 'id.property'. `trigger`
    (a component id) picks among callbacks with the same outputs by their first input; `changed` ('id.property')
    is the input that fired, the first one when not given."""
    spec = next(d for d in client.get("/_dash-dependencies").json if _same_outputs(d["output"], outputs)
                and (trigger is None or d["inputs"][0]["id"] == trigger))
    body = {
        "output": spec["output"],
        "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in outputs]
        if spec["output"].startswith("..") else {"id": outputs[0].split(".")[0], "property": outputs[0].split(".")[1]},
        "inputs": [{**i, "value": v} for i, v in zip(spec["inputs"], inputs)],
        "state": [{**s, "value": v} for s, v in zip(spec["state"], state)],
        "changedPropIds": [changed or f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {f"{cid}.{prop}": value for cid, props in response.json["response"].items() for prop, value in props.items()}


def _same_outputs(output_id: str, wanted: list[str]) -> bool:
    parts = [p.split("@")[0] for p in output_id.strip(".").split("...")]
    return parts == wanted


def text_of(component) -> str:
    return json.dumps(component)
