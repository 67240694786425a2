"""Command line of ``mast-sandbox``."""

import argparse
import json
import os
import signal
import sys
import tempfile
import threading

from .server import start, tls_context
from .state import State


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="mast-sandbox",
        description="A local, offline, MAST-compatible server (see sandbox/README.md).")
    parser.add_argument("--host", default="127.0.0.1", help="main listener address")
    parser.add_argument("--port", type=int, default=0, help="main listener port (0 = ephemeral)")
    parser.add_argument("--alt-host", default="127.0.0.2",
                        help="second listener (redirect target) address")
    parser.add_argument("--alt-port", type=int, default=0, help="second listener port")
    parser.add_argument("--ready-file", help="write {base_url, alt_url, pid} here when ready")
    parser.add_argument("--latency", type=int, default=0, metavar="MS",
                        help="delay every answer by MS milliseconds")
    parser.add_argument("--executing", type=int, default=0, metavar="N",
                        help="answer EXECUTING N times before COMPLETE for each new job")
    parser.add_argument("--token", action="append", default=[], metavar="T",
                        help="accept T as a valid MAST token (sandbox-token always is)")
    parser.add_argument("--tls-cert", metavar="PEM",
                        help="serve HTTPS on the main listener with this certificate (chain)")
    parser.add_argument("--tls-key", metavar="PEM", help="the private key of --tls-cert")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    return args


def write_ready_file(path, info):
    """Write the ready file atomically (temporary file, then rename)."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix=".mast-sandbox-", dir=directory)
    with os.fdopen(handle, "w") as out:
        json.dump(info, out)
        out.write("\n")
    os.replace(temp, path)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    state = State(args.latency, args.executing, ["sandbox-token"] + args.token)
    try:
        tls = tls_context(args.tls_cert, args.tls_key) if args.tls_cert else None
        main_server, alt_server = start(state, args.host, args.port, args.alt_host,
                                        args.alt_port, args.verbose, tls)
    except (OSError, ValueError) as exc:
        print("mast-sandbox: cannot listen: %s" % exc, file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print("mast-sandbox: listening on %s (alt %s)" % (state.base_url, state.alt_url), flush=True)
    if args.ready_file:
        write_ready_file(args.ready_file, {"base_url": state.base_url, "alt_url": state.alt_url,
                                           "pid": os.getpid()})
    while not stop.wait(0.5):
        pass
    for server in (main_server, alt_server):
        server.shutdown()
        server.server_close()
    return 0
