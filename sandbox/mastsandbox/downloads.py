"""File downloads: ``/api/v0.1/Download/file``, the alt listener's
``/stpubdata/...`` and the HLA ``/cgi-bin/getdata.cgi`` / ``ecfproxy``.

File content is deterministic per URI: a block of 65521 (prime) bytes drawn
from a hash of the URI, repeated.  Because the block is random and its length
prime, the bytes at offset i and i+k differ for small k, so a client that
resumes at a wrong offset produces a detectably wrong file.

Special URIs (see sandbox/README.md)::

    mast:SANDBOX/size/<bytes>/<name>      any size (tests, benchmarks)
    mast:SANDBOX/dynamic/<bytes>/<name>   no Content-Length, close-delimited
    mast:SANDBOX/eap/<bytes>/<name>       401 without a valid token
    mast:SANDBOX/missing/<name>           404
    mast:SANDBOX/redirect/<bytes>/<name>  307 to the alt listener
    mast:SANDBOX/hostile/<kind>           small file; hostile entry in bundles
"""

import collections
import hashlib
import os
import re
import threading
from email.utils import formatdate
from urllib.parse import quote, unquote, urlsplit

from .products import P, find_product
from .response import Response, json_response
from .sky import rng_for

BLOCK = 65521
CHUNK_BLOCKS = 16
MAX_SPECIAL_SIZE = 1 << 40

_TYPES = ((".fits.gz", "application/gzip"), (".fits", "application/fits"),
          (".fit", "application/fits"), (".jpg", "image/jpeg"), (".png", "image/png"),
          (".json", "application/json"), (".txt", "text/plain"), (".ecsv", "text/plain"),
          (".pdf", "application/pdf"), (".gz", "application/gzip"), (".zip", "application/zip"),
          (".sh", "text/x-sh"))


class FileInfo:
    """What a URI resolves to."""

    def __init__(self, uri, name, size, collection="SANDBOX", obs_id="", exclusive=False,
                 dynamic=False, redirect=False, hostile=None):
        self.uri = uri
        self.name = name
        self.size = size
        self.collection = collection
        self.obs_id = obs_id
        self.exclusive = exclusive
        self.dynamic = dynamic
        self.redirect = redirect
        self.hostile = hostile


# ---------------------------------------------------------------- content


class _Blocks:
    """LRU of per-URI content patterns (a 16-block run plus one spare block)."""

    def __init__(self, capacity=32):
        self.capacity = capacity
        self.items = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, uri):
        with self.lock:
            data = self.items.get(uri)
            if data is not None:
                self.items.move_to_end(uri)
                return data
        seed = hashlib.blake2b(("content\x1f" + uri).encode("utf-8"), digest_size=32).digest()
        block = bytearray()
        counter = 0
        while len(block) < BLOCK:
            block += hashlib.blake2b(counter.to_bytes(8, "little"), key=seed).digest()
            counter += 1
        block = bytes(block[:BLOCK])
        data = memoryview(block * (CHUNK_BLOCKS + 1))
        with self.lock:
            self.items[uri] = data
            while len(self.items) > self.capacity:
                self.items.popitem(last=False)
        return data


BLOCKS = _Blocks()


def content(uri, start, stop):
    """Iterator over the bytes [start, stop) of a URI's content."""
    data = BLOCKS.get(uri)
    span = BLOCK * CHUNK_BLOCKS
    offset = start
    while offset < stop:
        phase = offset % BLOCK
        length = min(span, stop - offset)
        yield data[phase:phase + length]
        offset += length


def content_bytes(uri, size):
    """The whole content of a (small) file as bytes."""
    return b"".join(bytes(chunk) for chunk in content(uri, 0, size))


def content_type(name):
    lowered = name.lower()
    for ext, kind in _TYPES:
        if lowered.endswith(ext):
            return kind
    return "application/octet-stream"


# ---------------------------------------------------------------- resolution


def _size_from_hash(key):
    return int(1024 * 2048 ** rng_for("size", key).random())


def resolve(uri):
    """FileInfo for a download URI, or None when nothing has that URI."""
    uri = uri.strip()
    special = re.fullmatch(r"mast:SANDBOX/(size|dynamic|eap|redirect)/(\d+)/([^/]+)", uri)
    if special:
        kind, size, name = special.group(1), int(special.group(2)), special.group(3)
        if size > MAX_SPECIAL_SIZE:
            return None
        return FileInfo(uri, name, size, obs_id=kind, exclusive=kind == "eap",
                        dynamic=kind == "dynamic", redirect=kind == "redirect")
    hostile = re.fullmatch(r"mast:SANDBOX/hostile/(absolute|dotdot|symlink|hardlink)", uri)
    if hostile:
        return FileInfo(uri, "hostile-%s.txt" % hostile.group(1), 64, obs_id="hostile",
                        hostile=hostile.group(1))
    if uri.startswith("mast:SANDBOX/"):
        return None
    if uri.startswith(("http://", "https://")):
        parts = urlsplit(uri)
        name = os.path.basename(parts.path) or "index"
        return FileInfo(uri, name, _size_from_hash(uri), collection=parts.netloc or "web",
                        obs_id=os.path.basename(os.path.dirname(parts.path)) or "files")
    row = find_product(uri)
    if row is None:
        return None
    return FileInfo(uri, row[P["productFilename"]], row[P["size"]], row[P["obs_collection"]],
                    row[P["obs_id"]], exclusive=row[P["dataRights"]] == "EXCLUSIVE_ACCESS")


def hla_file(kind, name):
    """FileInfo of an HLA getdata/ecfproxy file (any dataset name exists)."""
    uri = "hla:%s/%s" % (kind, name)
    return FileInfo(uri, name, _size_from_hash(uri), "HLA", name.split(".")[0])


# ---------------------------------------------------------------- responses


def parse_range(header, size):
    """(start, stop) for a single 'bytes=' range, 'all', or 'unsatisfiable'."""
    if not header:
        return "all"
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not match or (not match.group(1) and not match.group(2)):
        return "all"  # multiple or malformed ranges: ignore and send everything
    first, last = match.group(1), match.group(2)
    if first:
        start = int(first)
        stop = min(size, int(last) + 1) if last else size
        if start >= size or (last and int(last) < start):
            return "unsatisfiable"
    else:
        suffix = int(last)
        if suffix == 0:
            return "unsatisfiable"
        start, stop = max(0, size - suffix), size
    return start, stop


def unauthorized(uri):
    return json_response({"status": "ERROR", "msg": "Access to %s requires a valid MAST token "
                          "(Authorization: token <token> or cookie mast_token)." % uri}, 401)


def not_found(uri):
    return json_response({"status": "ERROR", "msg": "File not found: %s" % uri}, 404)


LAST_MODIFIED_BASE = 1700000000  # the original's Last-Modified; each new version is an hour later


def validators(info, version):
    """(ETag, Last-Modified) of a version of a file."""
    tag = hashlib.blake2b(("%s\x1f%d\x1f%d" % (info.uri, version, info.size)).encode("utf-8"),
                          digest_size=8).hexdigest()
    return '"%s"' % tag, formatdate(LAST_MODIFIED_BASE + 3600 * version, usegmt=True)


def file_response(info, method, range_header, authorized, alt_url=None, ignore_range=False,
                  request=None):
    """The Response for downloading ``info``.

    With ``request``: the file's current version (the ``change`` fault makes a
    new one: other bytes, maybe another size, new validators), ``If-Range``
    (a range is served only while the validator still names this version), and
    the ``ignore_if_range`` / ``range_shift`` faults.
    """
    if info.exclusive and not authorized:
        return unauthorized(info.uri)
    if info.redirect and alt_url:
        location = "%s/stpubdata/sandbox/%s" % (alt_url, quote(info.uri[len("mast:SANDBOX/"):]))
        return Response(307, b"", headers=[("Location", location)], length=0)
    version, new_size = request.state.file_version(info.uri) if request else (0, None)
    if new_size is not None:
        info.size = new_size
    key = info.uri if version == 0 else "%s\x1fversion %d" % (info.uri, version)
    etag, modified = validators(info, version)
    headers = [("Accept-Ranges", "bytes"),
               ("Content-Disposition", "attachment; filename=%s" % info.name),
               ("ETag", etag), ("Last-Modified", modified)]
    kind = content_type(info.name)
    size = info.size
    if_range = request.header("if-range") if request else None
    stale = if_range is not None and if_range.strip() not in (etag, modified)
    if request is not None and request.ignore_if_range:
        stale = False
    span = "all" if ignore_range or info.dynamic or stale else parse_range(range_header, size)
    if span == "unsatisfiable":
        response = Response(416, b"", headers=[("Content-Range", "bytes */%d" % size)], length=0)
        return response
    status, start, stop = 200, 0, size
    if span != "all":
        start, stop = span
        if request is not None and request.range_shift:
            start = max(0, start - request.range_shift)   # a proxy answering another range
        status = 206
        headers.append(("Content-Range", "bytes %d-%d/%d" % (start, stop - 1, size)))
    chunks = iter(()) if method == "HEAD" else content(key, start, stop)
    response = Response(status, content_type=kind, headers=headers, chunks=chunks,
                        length=None if info.dynamic else stop - start)
    if info.dynamic:
        response.close = True
    return response


def query_values(query):
    """Parse a query string without turning '+' into space (URIs may hold '+')."""
    out = {}
    for part in query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        out.setdefault(unquote(key), []).append(unquote(value))
    return out
