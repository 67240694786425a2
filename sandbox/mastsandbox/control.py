"""The control API under ``/__sandbox/`` (main listener only, never logged).

* ``GET  /__sandbox/requests``  the request log since the last reset
* ``POST /__sandbox/reset``     clear log, faults, jobs, staged bundles, settings
* ``GET|POST /__sandbox/settings``  ``{"latency_ms": n, "executing": n}``
* ``GET|POST /__sandbox/faults``    ``{"faults": [rule, ...]}`` appends rules
"""

import json

from .faults import FaultError
from .response import json_response


def _body_json(request):
    if not request.body:
        return {}
    try:
        value = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError("body is not valid JSON: %s" % exc)
    if not isinstance(value, dict):
        raise ValueError("body must be a JSON object")
    return value


def handle(request):
    """Answer a control API request."""
    state = request.state
    name = request.path[len("/__sandbox/"):].strip("/")
    try:
        if name == "requests" and request.method == "GET":
            return json_response({"requests": state.requests()})
        if name == "reset" and request.method == "POST":
            state.reset()
            return json_response({"ok": True, "settings": state.settings()})
        if name == "settings":
            if request.method == "POST":
                return json_response({"ok": True,
                                      "settings": state.update_settings(_body_json(request))})
            return json_response({"settings": state.settings()})
        if name == "faults":
            if request.method == "POST":
                rules = _body_json(request).get("faults")
                if not isinstance(rules, list):
                    raise ValueError("expected {\"faults\": [rule, ...]}")
                added = state.faults.add(rules)
                return json_response({"ok": True, "added": added,
                                      "faults": state.faults.describe()})
            return json_response({"faults": state.faults.describe()})
    except (ValueError, TypeError, FaultError) as exc:
        return json_response({"ok": False, "error": str(exc)}, 400)
    return json_response({"ok": False, "error": "unknown control endpoint %s %s"
                          % (request.method, request.path)}, 404)
