"""Test helpers: start a mast-sandbox process and talk to it (stdlib only)."""

import http.client
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

SANDBOX_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER = os.path.join(SANDBOX_DIR, "mast-sandbox")
WITH_SANDBOX = os.path.join(SANDBOX_DIR, "with-sandbox")
FIXTURES = os.path.join(SANDBOX_DIR, "fixtures", "mast-recorded")


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def haversine(ra1, dec1, ra2, dec2):
    """Great-circle distance in degrees (the tests' own, independent of sky.py)."""
    r = math.radians
    s = (math.sin((r(dec2) - r(dec1)) / 2) ** 2
         + math.cos(r(dec1)) * math.cos(r(dec2)) * math.sin((r(ra2) - r(ra1)) / 2) ** 2)
    return math.degrees(2 * math.asin(math.sqrt(s)))


def fixture(name, folder="astroquery-main"):
    with open(os.path.join(FIXTURES, folder, name), "rb") as handle:
        return handle.read()


class Sandbox:
    """A mast-sandbox subprocess on ephemeral ports."""

    def __init__(self, *options):
        self.tmp = tempfile.TemporaryDirectory(prefix="sandbox-test-")
        ready = os.path.join(self.tmp.name, "ready.json")
        command = [sys.executable, SERVER, "--ready-file", ready] + list(options)
        self.proc = subprocess.Popen(command,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while not os.path.exists(ready):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("sandbox did not start: %r" % (self.proc.stderr.read(),))
            time.sleep(0.02)
        with open(ready) as handle:
            info = json.load(handle)
        self.base_url = info["base_url"]
        self.alt_url = info["alt_url"]
        self.pid = info["pid"]
        self.stdout_line = self.proc.stdout.readline().decode()
        parts = urllib.parse.urlsplit(self.base_url)
        self.host, self.port = parts.hostname, parts.port
        alt = urllib.parse.urlsplit(self.alt_url)
        self.alt_host, self.alt_port = alt.hostname, alt.port

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()
        self.tmp.cleanup()

    # -- raw HTTP ----------------------------------------------------------

    def connection(self, alt=False, timeout=60):
        if alt:
            return http.client.HTTPConnection(self.alt_host, self.alt_port, timeout=timeout)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def http(self, method, path, body=None, headers=None, alt=False, timeout=60):
        """(status, headers dict (lower-case), body bytes) on a fresh connection."""
        conn = self.connection(alt, timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    # -- invoke ---------------------------------------------------------------

    @staticmethod
    def encode(request):
        return "request=" + urllib.parse.quote(json.dumps(request))

    def invoke_raw(self, request, method="POST"):
        if method == "GET":
            return self.http("GET", "/api/v0/invoke?" + self.encode(request))
        return self.http("POST", "/api/v0/invoke", self.encode(request),
                         {"Content-Type": "application/x-www-form-urlencoded"})

    def invoke(self, request, poll=True):
        """Decoded JSON answer; polls while EXECUTING unless poll=False."""
        while True:
            status, _, body = self.invoke_raw(request)
            assert status == 200, (status, body[:200])
            answer = json.loads(body)
            if not poll or answer.get("status") != "EXECUTING":
                return answer

    # -- control API -------------------------------------------------------------

    def control(self, name, payload=None):
        method = "GET" if payload is None and name in ("requests", "settings", "faults") else "POST"
        body = json.dumps(payload).encode() if payload is not None else b""
        status, _, data = self.http(method, "/__sandbox/" + name, body,
                                    {"Content-Type": "application/json"})
        assert status == 200, (status, data)
        return json.loads(data)

    def reset(self):
        return self.control("reset", {})

    def faults(self, *rules):
        return self.control("faults", {"faults": list(rules)})

    def log(self):
        return self.control("requests")["requests"]
