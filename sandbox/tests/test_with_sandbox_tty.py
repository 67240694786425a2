"""with-sandbox at a terminal: one Ctrl-C reaches the command once, and never the server."""

import os
import pty
import select
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
WITH_SANDBOX = os.path.join(os.path.dirname(HERE), "with-sandbox")

# The command: counts the SIGINTs it gets, then asks the sandbox whether it still answers.
CHILD = r"""
import os, signal, sys, time, urllib.request
count = 0
def on_int(signum, frame):
    global count
    count += 1
signal.signal(signal.SIGINT, on_int)
print("READY", flush=True)
deadline = time.monotonic() + 20
while count == 0 and time.monotonic() < deadline:
    time.sleep(0.01)
time.sleep(0.5)   # a second, forwarded copy of the signal would arrive in this time
try:
    with urllib.request.urlopen(os.environ["MAST_SANDBOX_URL"] + "/", timeout=10) as r:
        alive = r.status == 200
except OSError:
    alive = False
print("COUNT=%d ALIVE=%s" % (count, alive), flush=True)
"""


def read_until(fd, marker, timeout=30):
    out = b""
    end = time.monotonic() + timeout
    while marker not in out and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            out += data
    return out


class CtrlC(unittest.TestCase):
    def test_one_ctrl_c_reaches_the_command_once_and_not_the_server(self):
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.executable, [sys.executable, WITH_SANDBOX, "--", sys.executable, "-c", CHILD])
        try:
            self.assertIn(b"READY", read_until(fd, b"READY"))
            os.write(fd, b"\x03")   # what the terminal sends for Ctrl-C
            out = read_until(fd, b"ALIVE=")
            self.assertIn(b"COUNT=1 ALIVE=True", out, out.decode("utf-8", "replace"))
        finally:
            _, status = os.waitpid(pid, 0)
            os.close(fd)
        self.assertEqual(0, os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    unittest.main()
