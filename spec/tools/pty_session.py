#!/usr/bin/env python3
"""Drive a terminal program through a pseudo-terminal, like expect(1).

usage: pty_session.py STEPS.json -- COMMAND ARGS...

STEPS is a JSON list of steps, run in order:
  {"expect": "text"}            wait (up to "timeout" s, default 60) until the
                                output so far contains text (after the last match)
  {"send": "text"}              type text (use "\\r" for Enter)
  {"interrupt": true}           type Ctrl-C (with "at_prompt": true, once the line
                                editor reads the terminal, as "send" does)
  {"sleep": seconds}
  {"close": true}               type Ctrl-D
PTY_SIZE="rows,cols" in the environment sets the terminal's size.
The whole output is written to stdout at the end; the exit status is the
program's, or 124 if a step timed out (the output then ends with a note).
"""
import json
import os
import pty
import select
import signal
import sys
import termios
import time


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.stderr.write(__doc__)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        steps = json.load(f)
    cmd = sys.argv[3:]
    pid, fd = pty.fork()
    if pid == 0:
        size = os.environ.pop("PTY_SIZE", "")
        if size:
            import fcntl
            import struct
            rows, cols = (int(x) for x in size.split(","))
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.environ.setdefault("TERM", "xterm")
        os.execvp(cmd[0], cmd)
    out = bytearray()
    mark = 0

    def pump(timeout):
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        out.extend(data)
        return True

    def settle(limit=0.5):
        """Waits until the program reads the terminal in raw mode, as a line
        editor does at its prompt: typing earlier races with the editor's own
        terminal set-up (an early Ctrl-D would be lost). At most `limit`
        seconds: a program that never turns raw mode on (no line editor) is
        typed to after that."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            try:
                if not termios.tcgetattr(fd)[3] & termios.ICANON:
                    return
            except termios.error:
                return
            pump(0.01)

    status = 0
    for step in steps:
        if "expect" in step:
            want = step["expect"].encode()
            deadline = time.monotonic() + step.get("timeout", 60)
            while True:
                i = out.find(want, mark)
                if i >= 0:
                    mark = i + len(want)
                    break
                left = deadline - time.monotonic()
                if left <= 0 or not pump(min(left, 0.1)):
                    if out.find(want, mark) >= 0:
                        continue
                    out.extend(b"\n[pty_session: timed out waiting for %r]\n" % want)
                    status = 124
                    break
            if status:
                break
        elif "send" in step:
            settle()
            os.write(fd, step["send"].encode())
        elif "interrupt" in step:
            if step.get("at_prompt"):
                # the prompt is there: wait for the editor however loaded the
                # machine is (a Ctrl-C before it reads the terminal is not a
                # Ctrl-C at the prompt)
                settle(30)
            os.write(fd, b"\x03")
        elif "close" in step:
            settle()
            os.write(fd, b"\x04")
        elif "sleep" in step:
            end = time.monotonic() + step["sleep"]
            while time.monotonic() < end and pump(max(0.0, end - time.monotonic())):
                pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and pump(0.1):
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            while pump(0.05):
                pass
            code = os.waitstatus_to_exitcode(st)
            break
    else:
        done = 0
    if not done:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, st = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(st)
    sys.stdout.write(out.decode("utf-8", "replace"))
    return status or (code if code >= 0 else 128 - code)


if __name__ == "__main__":
    sys.exit(main())
