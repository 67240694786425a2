"""Bundles: ``/api/v0.1/Download/bundle{.tar.gz,.zip,.sh,}`` and the legacy
invoke service Mast.Bundle.Request with its staged download URL.

Archives hold ``mastDownload/<obs_collection>/<obs_id>/<file>`` entries with
the same content as Download/file, plus ``mastDownload/MANIFEST.html``
listing every requested URI and its status.  They are built in memory
(capped) with fixed timestamps, so the same request gives the same bytes.
The ``mast:SANDBOX/hostile/<kind>`` URIs add a malicious entry (absolute
path, ``..`` path, symlink or hard link pointing outside) next to a normal
file, to test a client's extraction checks.
"""

import gzip
import html
import io
import json
import tarfile
import threading
import zipfile

from .downloads import content_bytes, resolve
from .products import products_table, P
from .sky import seed_of

MAX_BUNDLE_BYTES = 512 * 1024 * 1024
MTIME = 1498053637  # 2017-06-21 14:00:37 UTC, the date of the recorded bundle answer
HOSTILE_TARGETS = {"absolute": "/tmp/mast-sandbox-hostile-absolute.txt",
                   "dotdot": "mastDownload/../../mast-sandbox-hostile-dotdot.txt",
                   "symlink": "../../../../../../etc/passwd",
                   "hardlink": "/etc/passwd"}


class BundleError(Exception):
    """A bundle that cannot be built (too large)."""


def entry_path(info):
    return "mastDownload/%s/%s/%s" % (info.collection, info.obs_id, info.name)


def manifest_html(statuses):
    rows = "\n".join("<tr><td>%s</td><td>%s</td><td>%s</td></tr>"
                     % (html.escape(uri), html.escape(path or ""), status)
                     for uri, path, status in statuses)
    return ("<html><head><title>MAST download manifest</title></head><body>\n"
            "<table><tr><th>URI</th><th>File</th><th>Status</th></tr>\n%s\n</table>\n"
            "</body></html>\n" % rows).encode("utf-8")


def collect(uris, authorized):
    """(files, statuses): files as (path, bytes or None, hostile kind)."""
    files, statuses, total, seen = [], [], 0, set()
    for uri in uris:
        if uri in seen:
            continue
        seen.add(uri)
        info = resolve(uri)
        if info is None:
            statuses.append((uri, None, "NOT FOUND"))
            continue
        if info.exclusive and not authorized:
            statuses.append((uri, None, "UNAUTHORIZED"))
            continue
        if info.redirect or info.dynamic:
            info.redirect = info.dynamic = False
        total += info.size
        if total > MAX_BUNDLE_BYTES:
            raise BundleError("Bundle larger than %d bytes; download files one by one."
                              % MAX_BUNDLE_BYTES)
        path = entry_path(info)
        files.append((path, content_bytes(info.uri, info.size), info.hostile))
        statuses.append((uri, path, "COMPLETE"))
    return files, statuses


def build_tar(files, statuses):
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=MTIME, compresslevel=1) as zipped:
        with tarfile.open(fileobj=zipped, mode="w", format=tarfile.GNU_FORMAT) as tar:
            for path, data, hostile in files:
                _tar_add(tar, path, data)
                if hostile:
                    _tar_hostile(tar, hostile, path)
            _tar_add(tar, "mastDownload/MANIFEST.html", manifest_html(statuses))
    return buffer.getvalue()


def _tar_add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = MTIME
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _tar_hostile(tar, kind, normal_path):
    if kind in ("absolute", "dotdot"):
        info = tarfile.TarInfo("x")
        info.name = HOSTILE_TARGETS[kind]
        info.size = 7
        info.mtime = MTIME
        tar.addfile(info, io.BytesIO(b"hostile"))
        return
    info = tarfile.TarInfo(normal_path.rsplit("/", 1)[0] + "/hostile-" + kind)
    info.type = tarfile.SYMTYPE if kind == "symlink" else tarfile.LNKTYPE
    info.linkname = HOSTILE_TARGETS[kind]
    info.mtime = MTIME
    tar.addfile(info)


def build_zip(files, statuses):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path, data, hostile in files:
            archive.writestr(_zip_info(path), data)
            if hostile:
                _zip_hostile(archive, hostile, path)
        archive.writestr(_zip_info("mastDownload/MANIFEST.html"), manifest_html(statuses))
    return buffer.getvalue()


def _zip_info(name, mode=0o100644):
    info = zipfile.ZipInfo(name, date_time=(2017, 6, 21, 14, 0, 36))
    info.external_attr = mode << 16
    info.create_system = 3
    return info


def _zip_hostile(archive, kind, normal_path):
    if kind in ("absolute", "dotdot"):
        info = _zip_info("placeholder")
        info.filename = HOSTILE_TARGETS[kind]
        archive.writestr(info, b"hostile")
        return
    # zip has no hard links: both kinds become a symlink entry pointing outside.
    info = _zip_info(normal_path.rsplit("/", 1)[0] + "/hostile-" + kind, 0o120777)
    archive.writestr(info, HOSTILE_TARGETS[kind].encode())


def build_script(uris, base_url, bundle_name):
    """A bash curl script like MAST's (see protocol doc §5.2)."""
    lines = ["#!/bin/bash", "#", "# Requested from: %s" % base_url,
             "# Generated by mast-sandbox (a local MAST-compatible server)", "#",
             'if [ -n "$1" ]; then MAST_API_TOKEN="$1"; fi',
             'if [ -z "$MAST_API_TOKEN" ]; then',
             '    echo "No token given; only public files will download."', "fi",
             'CONT="-C -"', "",
             "cat > MANIFEST.HTML <<'EOT'"]
    statuses = []
    commands = []
    for uri in uris:
        info = resolve(uri)
        if info is None:
            statuses.append((uri, None, "NOT FOUND"))
            continue
        path = entry_path(info)
        statuses.append((uri, path, "COMPLETE"))
        commands.append("curl -H \"Authorization: token $MAST_API_TOKEN\" --globoff "
                        "--location-trusted -f --progress-bar --create-dirs $CONT --output "
                        "'./%s' '%s/api/v0.1/Download/file?bundle_name=%s&uri=%s'"
                        % (path, base_url, bundle_name, uri))
    lines.append(manifest_html(statuses).decode("utf-8").rstrip("\n"))
    lines.append("EOT")
    lines.extend(commands)
    lines.append("")
    return "\n".join(lines).encode("utf-8")


def bundle_name(uris):
    return "MAST_%d" % (seed_of("bundle", *uris) % 10 ** 12)


def make_bundle(kind, uris, authorized, base_url):
    """(content type, file name, body) of a bundle of ``uris``."""
    name = bundle_name(uris)
    if kind == "sh":
        return "text/x-sh", name + ".sh", build_script(uris, base_url, name)
    files, statuses = collect(uris, authorized)
    if kind == "zip":
        return "application/zip", name + ".zip", build_zip(files, statuses)
    return "application/gzip", name + ".tar.gz", build_tar(files, statuses)


def obsid_uris(obsids):
    """Product URIs of the observations (for ``bundle.zip?obsid=``)."""
    ids = []
    for part in obsids:
        for item in str(part).split(","):
            try:
                ids.append(int(item))
            except ValueError:
                continue
    return [row[P["dataURI"]] for row in products_table(ids).rows]


class BundleStore:
    """Bundles staged by Mast.Bundle.Request, by id (reset clears it)."""

    def __init__(self):
        self.staged = {}
        self.lock = threading.Lock()

    def clear(self):
        with self.lock:
            self.staged.clear()

    def stage(self, params, base_url):
        """Stage a bundle; return the JSON answer (bundleResponse.json shape)."""
        url_list = params.get("urlList") or ""
        if isinstance(url_list, list):
            uris = [str(u) for u in url_list]
        else:
            uris = [u.strip() for u in str(url_list).split(",") if u.strip()]
        extension = str(params.get("extension") or "tar.gz").lower().lstrip(".")
        kind = {"curl": "sh", "sh": "sh", "zip": "zip"}.get(extension, "tar.gz")
        filename = str(params.get("filename") or "mastDownload_20170621142037")
        token = "%032x" % seed_of("stage", kind, filename, *uris)
        stage_id = "-".join((token[:8], token[8:12], token[12:16], token[16:20], token[20:32]))
        with self.lock:
            if len(self.staged) > 1000:
                self.staged.clear()
            self.staged[stage_id] = (kind, uris)
        prefix = "%s/portal/Download/stage/anonymous/public/%s/%s" % (base_url, stage_id, filename)
        answer = {"status": "COMPLETE", "msg": "", "bytesStreamed": 0,
                  "url": "%s.%s" % (prefix, kind),
                  "manifestUrl": "%s_MANIFEST.html" % prefix,
                  "statusList": {uri: "COMPLETE" if resolve(uri) else "NOT FOUND" for uri in uris},
                  "progress": 1}
        return json.dumps(answer, ensure_ascii=False).encode("utf-8")

    def lookup(self, stage_id):
        with self.lock:
            return self.staged.get(stage_id)
