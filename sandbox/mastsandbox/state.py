"""Server-wide mutable state shared by both listeners: settings, tokens, the
request log, fault rules, the invoke job table and staged bundles."""

import itertools
import threading

from .bundles import BundleStore
from .faults import FaultTable
from .invoke import Invoker

MAX_LOG_ENTRIES = 50_000
MAX_LOGGED_BODY = 1 << 20


class State:
    """Everything ``/__sandbox/reset`` puts back to the command-line defaults."""

    def __init__(self, latency_ms=0, executing=0, tokens=("sandbox-token",)):
        self.defaults = {"latency_ms": int(latency_ms), "executing": int(executing)}
        self.defaults["tesscut_rate_limit"] = 1  # cutouts.py: 5 requests/s on /tesscut/, 0 = off
        self._settings = dict(self.defaults)
        self.tokens = set(tokens)
        self.lock = threading.Lock()
        self.log = []
        self._seq = 0
        self._conn_ids = itertools.count(1)
        self.faults = FaultTable()
        self.bundles = BundleStore()
        self.invoker = Invoker(self)
        self.base_url = ""
        self.alt_url = ""
        # download URI -> (version, size or None): files MAST reprocessed under
        # the same name (the "change" fault); version 0 is the original
        self.versions = {}

    # -- settings ----------------------------------------------------------

    def settings(self):
        with self.lock:
            return dict(self._settings)

    def update_settings(self, values):
        """Apply ``{"latency_ms": n, "executing": n}`` (other keys rejected)."""
        unknown = set(values) - set(self.defaults)
        if unknown:
            raise ValueError("unknown settings: %s" % ", ".join(sorted(unknown)))
        clean = {}
        for key, value in values.items():
            number = int(value)
            if number < 0:
                raise ValueError("%s must be >= 0" % key)
            clean[key] = number
        with self.lock:
            self._settings.update(clean)
            return dict(self._settings)

    def reset(self):
        with self.lock:
            self._settings = dict(self.defaults)
            self.log = []
        self.faults.clear()
        self.invoker.jobs.clear()
        self.bundles.clear()
        with self.lock:
            self.versions = {}

    # -- files that change -----------------------------------------------------

    def change_file(self, uri, size=None):
        """A new version of the file at ``uri`` (same name; ``size`` to change it too)."""
        with self.lock:
            version, old = self.versions.get(uri, (0, None))
            self.versions[uri] = (version + 1, int(size) if size is not None else old)

    def file_version(self, uri):
        with self.lock:
            return self.versions.get(uri, (0, None))

    # -- identity ------------------------------------------------------------

    def next_conn_id(self):
        return next(self._conn_ids)

    def token_valid(self, token):
        return bool(token) and token in self.tokens

    # -- request log -----------------------------------------------------------

    def record(self, entry):
        """Append a request to the log, giving it the next sequence number."""
        body = entry.get("body")
        if body is not None and len(body) > MAX_LOGGED_BODY:
            entry["body"] = body[:MAX_LOGGED_BODY]
            entry["body_truncated"] = True
        with self.lock:
            self._seq += 1
            entry["seq"] = self._seq
            self.log.append(entry)
            if len(self.log) > MAX_LOG_ENTRIES:
                del self.log[:len(self.log) - MAX_LOG_ENTRIES]
        return entry

    def requests(self):
        with self.lock:
            return list(self.log)
