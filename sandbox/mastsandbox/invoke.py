"""The ``/api/v0/invoke`` endpoint: request parsing, the job table
(EXECUTING polling, clearcache/removecache), paging and output formats.

Jobs are keyed, as on the real server, by the canonical JSON of
``{service, params}`` only: top-level keys (cachebreaker, format, paging...)
do not start a new job.  A new job first answers EXECUTING as many times as
the ``executing`` setting says (the progressive VO datascope at least twice,
with partial data), then COMPLETE.  Jobs idle for 10 minutes are dropped.
"""

import json
import threading
import time
from urllib.parse import parse_qs

from . import formats
from .errors import ServiceError
from .services import Context, Progressive, Raw, Recorded, lookup

JOB_IDLE_SECONDS = 600
MAX_CACHED_ROWS = 3_000_000
MAX_JOBS = 2000
# Services the real server answers at once (the name resolver's answer has
# no EXECUTING status; astroquery's resolve_object does not poll it).
IMMEDIATE = ("Mast.Name.Lookup",)
ENCODE_CHUNK = 10_000


class BadRequest(Exception):
    """The HTTP request itself is unusable (answered 400)."""


# ---------------------------------------------------------------- parsing


def decode_form(body):
    """Form fields of an x-www-form-urlencoded body (``+`` and %20 are spaces)."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        return parse_qs(text, keep_blank_values=True, strict_parsing=False,
                        errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest("Malformed form body: %s" % exc)


def request_from_http(query, body):
    """The decoded invoke request (a dict) from the query string or form body.

    Raises BadRequest for unusable HTTP input and ServiceError for a request
    that MAST would answer with an ERROR envelope.
    """
    fields = decode_form(body) if body else {}
    if "request" not in fields and query:
        fields = decode_form(query)
    values = fields.get("request")
    if not values:
        raise ServiceError("No request parameter was supplied.")
    try:
        request = json.loads(values[0])
    except ValueError as exc:
        raise ServiceError("Unable to parse the request JSON: %s" % exc)
    if not isinstance(request, dict):
        raise ServiceError("The request must be a JSON object.")
    return request


def as_bool(value):
    """Lenient boolean (true/True/"true"/1)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def as_int(value, default):
    if value in (None, ""):
        return default
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        raise ServiceError("Invalid integer value: %r" % (value,))


# ---------------------------------------------------------------- jobs


class Job:
    """One cached service run (result plus polling state)."""

    def __init__(self, key, executing):
        self.key = key
        self.lock = threading.Lock()
        self.result = None
        self.executing_total = executing
        self.executing_left = executing
        self.touched = time.monotonic()
        self.encoded = {}
        self.bodies = {}   # (format, page, pagesize, removenull) -> (content type, body)

    @property
    def rows(self):
        table = getattr(self.result, "table", self.result)
        return len(table) if hasattr(table, "rows") else 0


class JobTable:
    """Thread-safe map of job key → Job with idle expiry and a row budget."""

    def __init__(self):
        self.jobs = {}
        self.lock = threading.Lock()
        self.last_sweep = time.monotonic()

    def clear(self):
        with self.lock:
            self.jobs.clear()

    def drop(self, key):
        with self.lock:
            self.jobs.pop(key, None)

    def get_or_create(self, key, executing):
        now = time.monotonic()
        with self.lock:
            if now - self.last_sweep > 10:
                self.last_sweep = now
                for k in [k for k, j in self.jobs.items() if now - j.touched > JOB_IDLE_SECONDS]:
                    del self.jobs[k]
            job = self.jobs.get(key)
            if job is None:
                job = self.jobs[key] = Job(key, executing)
            job.touched = now
            return job

    def enforce_budget(self, keep):
        """Drop least recently used jobs while over the row or job budget."""
        with self.lock:
            total = sum(j.rows for j in self.jobs.values())
            if total <= MAX_CACHED_ROWS and len(self.jobs) <= MAX_JOBS:
                return
            for job in sorted(self.jobs.values(), key=lambda j: j.touched):
                if total <= MAX_CACHED_ROWS and len(self.jobs) <= MAX_JOBS:
                    break
                if job is not keep:
                    total -= job.rows
                    del self.jobs[job.key]


def job_key(service, params):
    return json.dumps({"service": service.lower(), "params": params}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False, default=str)


# ---------------------------------------------------------------- rendering


class Output:
    """Paging/format options of one request."""

    def __init__(self, request):
        self.format = str(request.get("format") or "extjs").strip().lower()
        if self.format not in ("json", "extjs", "csv", "votable"):
            raise ServiceError("Unsupported format: %s" % request.get("format"))
        self.page = as_int(request.get("page"), None)
        self.pagesize = as_int(request.get("pagesize"), 1000)
        self.removenull = as_bool(request.get("removenullcolumns", False))


def _page_bounds(total, out):
    if out.page is None:
        return 0, total, 1, total
    page = max(1, out.page)
    size = max(1, out.pagesize)
    start = min(total, (page - 1) * size)
    return start, min(total, start + size), page, size


def _encoded(job, table, start, stop):
    """JSON row strings of rows[start:stop], cached per job in chunks."""
    if job is None:
        return table.encoded_rows(start, stop)
    encode = None
    out = []
    first = start // ENCODE_CHUNK
    last = (stop - 1) // ENCODE_CHUNK if stop > start else first - 1
    for chunk in range(first, last + 1):
        strings = job.encoded.get(chunk)
        if strings is None:
            encode = encode or table.row_encoder()
            lo = chunk * ENCODE_CHUNK
            strings = [encode(row) for row in table.rows[lo:lo + ENCODE_CHUNK]]
            job.encoded[chunk] = strings
        lo = chunk * ENCODE_CHUNK
        out.extend(strings[max(0, start - lo):stop - lo])
    return out


def render(table, out, job=None, status="COMPLETE", percent=None):
    """(content type, body) for ``table`` per the request's format and paging."""
    total = len(table.rows)
    start, stop, page, size = _page_bounds(total, out)
    rows = table.rows[start:stop]
    positions = list(range(len(table.fields)))
    if out.removenull:
        positions = [i for i in positions if any(row[i] is not None for row in rows)]
    paging = formats.paging_json(page, size, len(rows), total)
    if out.format == "csv":
        return formats.CSV_TYPE, formats.csv_body(table, rows, positions)
    if out.format == "votable":
        return formats.VOTABLE_TYPE, formats.votable_body(table, rows, positions)
    if out.format == "extjs":
        return formats.JSON_TYPE, formats.extjs_body(table, rows, positions, paging)
    if len(positions) == len(table.fields):
        strings = _encoded(job, table, start, stop)
    else:
        encode = table.row_encoder(positions)
        strings = [encode(row) for row in rows]
    return formats.JSON_TYPE, formats.json_body(table, strings, positions, paging, status,
                                                percent)


# ---------------------------------------------------------------- dispatch


class Invoker:
    """Runs invoke requests against the services with a shared job table."""

    def __init__(self, state):
        self.state = state
        self.jobs = JobTable()

    def answer(self, request, base_url, netlocs):
        """(content type, body bytes) of one decoded invoke request."""
        try:
            return self._answer(request, base_url, netlocs)
        except ServiceError as exc:
            return formats.JSON_TYPE, formats.error_body(exc.message)

    def _answer(self, request, base_url, netlocs):
        service = request.get("service")
        if service in (None, ""):
            raise ServiceError("No service was specified in the request.")
        found = lookup(service)
        if found is None:
            raise ServiceError("Unknown service: '%s'." % service)
        name, handler = found
        params = request.get("params")
        if params in (None, ""):
            params = {}
        if isinstance(params, str):
            try:
                params = json.loads(params)
            except ValueError:
                raise ServiceError("Unable to parse params.")
        if not isinstance(params, dict):
            raise ServiceError("params must be a JSON object.")
        out = Output(request)
        key = job_key(name, params)
        if as_bool(request.get("clearcache", False)):
            self.jobs.drop(key)
        executing = self.state.settings()["executing"]
        if name in IMMEDIATE:
            executing = 0
        job = self.jobs.get_or_create(key, executing)
        with job.lock:
            if job.result is None:
                ctx = Context(request, params, base_url, netlocs, self.state.bundles)
                try:
                    job.result = handler(ctx)
                except ServiceError:
                    self.jobs.drop(key)
                    raise
                if isinstance(job.result, Progressive):
                    job.executing_total = max(job.result.parts - 1, executing)
                    job.executing_left = job.executing_total
            result = job.result
            left = job.executing_left
            if left > 0:
                job.executing_left -= 1
        self.jobs.enforce_budget(job)
        if left > 0:
            done = job.executing_total - left + 1
            fraction = done / (job.executing_total + 1)
            if isinstance(result, Progressive):
                table = result.table
                shown = -(-len(table.rows) * done // (job.executing_total + 1))  # ceil
                part = table.with_rows(table.rows[:shown])
                out.format = "json"  # partial answers are always the json envelope
                return render(part, out, None, "EXECUTING", fraction)
            return formats.JSON_TYPE, formats.executing_body(fraction)
        if as_bool(request.get("removecache", False)):
            self.jobs.drop(key)
        return self._complete(result, out, job)

    @staticmethod
    def _complete(result, out, job):
        if isinstance(result, Raw):
            return result.content_type, result.body
        if isinstance(result, Recorded):
            # the recorded bytes when they are what was asked for: json, the
            # first page holding every row, no columns dropped; else the
            # same rows, paged and formatted like any other table
            whole = out.page is None or (out.page == 1 and out.pagesize >= len(result.table.rows))
            if out.format == "json" and whole and not out.removenull:
                return formats.JSON_TYPE, result.body
            return render(result.table, out)
        # a finished job's pages are built once: a client paging through a
        # large answer (query_all) then measures itself, not the sandbox
        key = (out.format, out.page, out.pagesize, out.removenull)
        with job.lock:
            answer = job.bodies.get(key)
        if answer is None:
            if isinstance(result, Progressive):
                answer = render(result.table, out, job, percent=1)
            else:
                answer = render(result, out, job)
            with job.lock:
                job.bodies[key] = answer
        return answer
