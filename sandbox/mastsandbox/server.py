"""HTTP plumbing: the two listeners, request parsing and logging, fault
injection and response writing (HTTP/1.1 with keep-alive).

Each TCP connection gets an id (``conn`` in the request log) so a client's
connection reuse is visible.  Faults are looked up before normal handling;
the ones that alter the transport (drop, stall, truncated_json, length_lie)
are applied while the response is written.
"""

import socket
import ssl
import struct
import sys
import threading
import time
import traceback
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import __version__, control, formats, routes
from .response import Response, text_response

MAX_BODY = 64 * 1024 * 1024
LOOPBACK_NAMES = ("localhost", "::1")


def is_loopback(host):
    return host in LOOPBACK_NAMES or host.startswith("127.")


class SandboxServer(ThreadingHTTPServer):
    """One listener ("main" or "alt") sharing the sandbox State."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, state, listener, verbose=False, tls=None):
        if not is_loopback(address[0]):
            raise ValueError("mast-sandbox only binds loopback addresses, not %r" % address[0])
        self.state = state
        self.listener = listener
        self.verbose = verbose
        self.tls = tls          # an ssl.SSLContext: serve HTTPS
        self.scheme = "https" if tls else "http"
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def get_request(self):
        sock, address = super().get_request()
        if self.tls is not None:
            # the handshake happens in the connection's own thread (Handler.setup)
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address):
        # a client that refuses the certificate, or hangs up: not the server's fault
        if isinstance(sys.exc_info()[1], (_Refused, ssl.SSLError, ConnectionError)):
            return
        super().handle_error(request, client_address)


class _Refused(Exception):
    """The TLS handshake failed (the client did not trust the certificate)."""


_BOMBS = {}
_BOMBS_LOCK = threading.Lock()


def _gzip_bomb(size):
    """A gzip body of ``size`` spaces (about size/1000 bytes; made once per size)."""
    with _BOMBS_LOCK:
        if size not in _BOMBS:
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)   # 31: the gzip wrapper
            block, parts, left = b" " * (1 << 20), [], size
            while left > 0:
                parts.append(packer.compress(block[:min(left, len(block))]))
                left -= len(block)
            parts.append(packer.flush())
            _BOMBS[size] = b"".join(parts)
        return _BOMBS[size]


def _endless(size, every):
    """A chunked JSON body that never ends: an array of ``size``-byte chunks."""
    yield b"1\r\n[\r\n"
    frame = b"%x\r\n%s\r\n" % (size, b"1," + b" " * (size - 2))
    while True:
        yield frame
        if every > 0:
            time.sleep(every)


class _Dropped(Exception):
    """The connection was closed on purpose by a fault."""


class Handler(BaseHTTPRequestHandler):
    """Parses one request at a time on a (possibly kept-alive) connection."""

    protocol_version = "HTTP/1.1"
    server_version = "mast-sandbox/" + __version__
    sys_version = ""
    timeout = 300

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(self.timeout)
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError) as exc:
                if self.server.verbose:
                    sys.stderr.write("mast-sandbox [%s] TLS handshake failed: %s\n"
                                     % (self.server.listener, exc))
                raise _Refused() from exc
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.conn_id = self.server.state.next_conn_id()

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("mast-sandbox [%s #%d] %s\n"
                             % (self.server.listener, self.conn_id, fmt % args))

    def log_request(self, code="-", size="-"):
        if self.server.verbose:
            super().log_request(code, size)

    # every method goes through the same dispatcher
    def do_GET(self):
        self.dispatch()

    do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_GET

    # -- reading -----------------------------------------------------------

    def read_body(self):
        """The request body (Content-Length or chunked); None if too large."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts, total = [], 0
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                total += size
                if total > MAX_BODY:
                    return None
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        if length > MAX_BODY:
            return None
        return self.rfile.read(length) if length else b""

    def base_url(self):
        host = self.headers.get("Host")
        if host and "/" not in host and " " not in host:
            return self.server.scheme + "://" + host
        return self.server.state.base_url

    # -- dispatch ------------------------------------------------------------

    def dispatch(self):
        state = self.server.state
        split = urlsplit(self.path)
        path = split.path or "/"
        try:
            body = self.read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return self.send(text_response(400, "Malformed request body."))
        if body is None:
            self.close_connection = True
            return self.send(text_response(413, "Request body too large."))
        request = routes.Request(state, self.server.listener, self.command, path, split.query,
                                 {k.lower(): v for k, v in self.headers.items()}, body,
                                 self.base_url())
        if self.server.listener == "main" and path.startswith("/__sandbox/"):
            return self.send(control.handle(request))
        handler = routes.route(request)
        if handler is routes.invoke:
            routes.decode_invoke(request)
        state.record({"listener": self.server.listener, "conn": self.conn_id,
                      "method": self.command, "path": path, "query": split.query,
                      "headers": request.headers,
                      "body": body.decode("utf-8", "replace"),
                      "request": request.invoke})
        try:
            self.respond(request, handler)
        except _Dropped:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def respond(self, request, handler):
        state = request.state
        info = {"path": request.path, "method": request.method, "listener": request.listener}
        if request.invoke:
            info["service"] = str(request.invoke.get("service", ""))
        if handler in (routes.download_file,):
            info["uri"] = routes.download_uri(request) or ""
        elif request.listener == "alt":
            info["uri"] = "mast:SANDBOX/" + request.path[len("/stpubdata/sandbox/"):]
        rule, use = state.faults.take(info)
        delay = state.settings()["latency_ms"] / 1000.0
        if rule is not None and rule.kind == "latency":
            delay += float(rule.spec.get("ms", 1000)) / 1000.0
        if delay > 0:
            time.sleep(delay)
        early = self.fault_response(rule, use, request) if rule else None
        if early is not None:
            return self.send(early)
        if rule is not None and rule.kind == "ignore_range":
            request.ignore_range = True
        if rule is not None and rule.kind == "ignore_if_range":
            request.ignore_if_range = True
        if rule is not None and rule.kind == "range_shift":
            request.range_shift = int(rule.spec.get("bytes", 1000))
        if rule is not None and rule.kind == "change" and info.get("uri"):
            state.change_file(info["uri"], rule.spec.get("size"))
        if handler is None:
            response = text_response(404, "Not found: %s" % request.path)
        else:
            try:
                response = handler(request)
            except routes.BadRequest as exc:
                response = text_response(400, str(exc))
            except Exception:  # never let a handler bug kill the connection thread
                if self.server.verbose:
                    traceback.print_exc()
                response = text_response(500, "Internal sandbox error.")
        self.send(response, rule)

    def fault_response(self, rule, use, request):
        """A complete replacement response for faults that need no real answer."""
        spec = rule.spec
        if rule.kind == "status":
            status = int(spec.get("status", 503))
            headers = []
            if spec.get("retry_after") is not None:
                headers.append(("Retry-After", str(spec["retry_after"])))
            body = spec.get("body")
            if body is None:
                body = "Sandbox fault: HTTP %d" % status
            return Response(status, str(body).encode("utf-8"), "text/plain; charset=utf-8",
                            headers)
        if rule.kind == "drop" and spec.get("after_bytes") is None:
            self.abort()
        if rule.kind == "malformed":
            body = spec.get("body")
            if body is None:
                body = '{"status" : "COMPLETE","msg" : "","data":[{"obsid":12,'
            return Response(200, str(body).encode("utf-8"), formats.JSON_TYPE)
        if rule.kind == "error":
            return Response(200, formats.error_body(str(spec.get("msg", "Sandbox fault."))),
                            formats.JSON_TYPE)
        if rule.kind == "redirect":
            location = spec["location"]
            if location == "alt":   # the same path on the alt listener: another host
                location = request.state.alt_url + self.path
            return Response(int(spec.get("status", 307)), b"", "text/plain; charset=utf-8",
                            [("Location", location)])
        if rule.kind == "endless":
            return Response(200, content_type=formats.JSON_TYPE,
                            headers=[("Transfer-Encoding", "chunked")],
                            chunks=_endless(int(spec.get("bytes", 100)), float(spec.get("every", 0.1))),
                            length=None)
        if rule.kind == "gzip_bomb":
            return Response(200, _gzip_bomb(int(spec.get("expand", 1 << 30))), formats.JSON_TYPE,
                            [("Content-Encoding", "gzip")])
        if rule.kind == "executing":
            fraction = use / (rule.total + 1.0)
            return Response(200, formats.executing_body(fraction), formats.JSON_TYPE)
        return None

    # -- writing -------------------------------------------------------------

    def abort(self, reset=True):
        """Close the connection and stop handling it.

        ``reset`` sends a TCP RST (the client sees "connection reset"); without
        it the bytes already sent are delivered and then the stream ends early.
        """
        try:
            if reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
            self.connection.close()
        except OSError:
            pass
        raise _Dropped()

    def send(self, response, rule=None):
        kind = rule.kind if rule else None
        spec = rule.spec if rule else {}
        chunks = response.iter_body()
        length = response.length
        if kind == "truncated_json":
            body = b"".join(bytes(c) for c in chunks)
            chunks = iter((body[:len(body) // 2],))
            length = len(body) // 2
        elif kind == "length_lie":
            length = int(spec.get("length", 1_000_000_000))
            response.close = True
        self.send_response_only(response.status)
        self.send_header("Server", self.version_string())
        self.send_header("Date", self.date_time_string())
        for key, value in response.headers:
            self.send_header(key, value)
        if length is not None:
            self.send_header("Content-Length", str(length))
        if response.close or length is None or self.close_connection:
            self.send_header("Connection", "close")
            self.close_connection = True
        self._headers_buffer.append(b"\r\n")
        head = b"".join(self._headers_buffer)
        self._headers_buffer = []
        if self.command == "HEAD":
            self.wfile.write(head)
            return
        limit = None
        if kind == "drip":
            self.drip(head, b"".join(bytes(c) for c in chunks), spec)
            return
        if kind == "rate":
            self.paced(head, chunks, float(spec.get("bytes_per_second", 1 << 20)))
            return
        if kind in ("drop", "stall"):
            limit = int(spec.get("after_bytes") or 0)
        else:
            # headers and a small first chunk in one write (no Nagle stall)
            first = next(chunks, b"")
            if len(first) < 65536:
                self.wfile.write(head + bytes(first))
            else:
                self.wfile.write(head)
                self.wfile.write(first)
            head = b""
        if head:
            self.wfile.write(head)
        sent = 0
        for chunk in chunks:
            if limit is not None and sent + len(chunk) >= limit:
                self.wfile.write(chunk[:limit - sent])
                self.wfile.flush()
                if kind == "stall":
                    time.sleep(float(spec.get("seconds", 5)))
                self.abort(reset=False)
            self.wfile.write(chunk)
            sent += len(chunk)
        if limit is not None:
            if kind == "stall":
                time.sleep(float(spec.get("seconds", 5)))
            self.abort(reset=False)


    def paced(self, head, chunks, rate):
        """The headers at once, then the real body in 16 KB pieces, each sent
        when the clock says `rate` bytes a second allow it: a slow link."""
        self.wfile.write(head)
        self.wfile.flush()
        start, sent, piece = time.monotonic(), 0, 16384
        for chunk in chunks:
            chunk = bytes(chunk)
            for i in range(0, len(chunk), piece):
                part = chunk[i:i + piece]
                wait = start + (sent + len(part)) / rate - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                self.wfile.write(part)
                self.wfile.flush()
                sent += len(part)

    def drip(self, head, body, spec):
        """The headers and after_bytes of body at once, then the rest one byte
        every `interval` seconds: a transfer that never drops below a 1 byte/s
        low-speed limit, however long it takes."""
        start = int(spec.get("after_bytes") or 0)
        interval = float(spec.get("interval", 0.5))
        self.wfile.write(head + body[:start])
        self.wfile.flush()
        for i in range(start, len(body)):
            time.sleep(interval)
            self.wfile.write(body[i:i + 1])
            self.wfile.flush()


def tls_context(cert, key):
    """A server-side TLS context for the certificate chain in cert (PEM)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def start(state, host, port, alt_host, alt_port, verbose=False, tls=None):
    """Start both listeners in daemon threads; return (main, alt) servers.
    With tls (an ssl.SSLContext) the main listener speaks HTTPS; the alt
    listener, the redirect target, stays plain HTTP."""
    main = SandboxServer((host, port), state, "main", verbose, tls)
    alt = SandboxServer((alt_host, alt_port), state, "alt", verbose)
    state.base_url = "%s://%s:%d" % (main.scheme, _url_host(host), main.server_address[1])
    state.alt_url = "http://%s:%d" % (_url_host(alt_host), alt.server_address[1])
    for server in (main, alt):
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                  name="mast-sandbox-%s" % server.listener, daemon=True)
        thread.start()
    return main, alt


def _url_host(host):
    return "[%s]" % host if ":" in host else host
