"""Fault injection rules (set through ``POST /__sandbox/faults``).

A rule is ``{"match": {...}, "times": n, "kind": k, ...}``.  ``match`` may
name a ``path`` prefix, a ``service`` (case-insensitive), a ``method``, a
``listener`` ("main" or "alt") and a ``uri`` substring (download URI); every
given key must match.  ``times`` is how many requests the rule hits (default
1, -1 = forever).  Rules are checked in the order they were added, before
normal handling; the first matching rule with uses left applies.
"""

import threading

KINDS = ("status", "drop", "stall", "malformed", "truncated_json", "latency", "executing",
         "error", "ignore_range", "length_lie", "redirect", "drip", "change", "ignore_if_range",
         "range_shift", "gzip_bomb", "endless", "rate")


class FaultError(ValueError):
    """A rule that cannot be accepted."""


class Fault:
    """One accepted rule plus its remaining uses."""

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise FaultError("a fault rule must be an object")
        self.kind = spec.get("kind")
        if self.kind not in KINDS:
            raise FaultError("unknown fault kind %r (one of %s)" % (self.kind, ", ".join(KINDS)))
        match = spec.get("match") or {}
        if not isinstance(match, dict):
            raise FaultError("match must be an object")
        unknown = set(match) - {"path", "service", "method", "listener", "uri"}
        if unknown:
            raise FaultError("unknown match keys: %s" % ", ".join(sorted(unknown)))
        self.match = match
        self.spec = spec
        if self.kind == "redirect" and not isinstance(spec.get("location"), str):
            raise FaultError("a redirect needs a location (a URL, or \"alt\")")
        if self.kind == "executing":
            self.left = int(spec.get("count", spec.get("times", 1)))
            self.total = self.left
        else:
            self.left = int(spec.get("times", 1))
            self.total = self.left
        self.used = 0

    def matches(self, info):
        for key, wanted in self.match.items():
            value = info.get(key)
            if value is None:
                return False
            if key == "path" and not value.startswith(str(wanted)):
                return False
            if key in ("service", "method") and value.lower() != str(wanted).lower():
                return False
            if key == "listener" and value != wanted:
                return False
            if key == "uri" and str(wanted) not in value:
                return False
        return True

    def describe(self):
        out = dict(self.spec)
        out["left"] = self.left
        return out


class FaultTable:
    """Ordered, thread-safe list of rules."""

    def __init__(self):
        self.rules = []
        self.lock = threading.Lock()

    def add(self, specs):
        rules = [Fault(spec) for spec in specs]
        with self.lock:
            self.rules.extend(rules)
        return len(rules)

    def clear(self):
        with self.lock:
            self.rules = []

    def take(self, info):
        """Consume one use of the first rule matching ``info``; return (rule, use#)."""
        with self.lock:
            for rule in self.rules:
                if rule.left != 0 and rule.matches(info):
                    if rule.left > 0:
                        rule.left -= 1
                    rule.used += 1
                    return rule, rule.used
        return None, 0

    def describe(self):
        with self.lock:
            return [rule.describe() for rule in self.rules]
