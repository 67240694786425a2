"""Request routing: which handler answers which path on which listener.

Handlers take a :class:`Request` and return a :class:`~.response.Response`.
"""

import json
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import bundles, cloud, cutouts, downloads, fixtures, formats, missions, panstarrs, tap, vo
from .errors import ServiceError
from .invoke import BadRequest, request_from_http
from .response import Response, json_response, text_response
from .services import column_config


class Request:
    """One parsed HTTP request, as the routes see it."""

    def __init__(self, state, listener, method, path, query, headers, body, base_url):
        self.state = state
        self.listener = listener
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.base_url = base_url
        self.invoke = None
        self.invoke_error = None
        self.ignore_range = False
        self.ignore_if_range = False
        self.range_shift = 0

    def header(self, name):
        return self.headers.get(name.lower())

    def form(self):
        """Form fields of the body (x-www-form-urlencoded)."""
        if not self.body:
            return {}
        try:
            return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise BadRequest("Body is not valid UTF-8.")

    def token(self):
        """The MAST token sent as 'Authorization: token T' or cookie mast_token."""
        auth = self.header("authorization") or ""
        if auth[:6].lower() == "token ":
            return auth[6:].strip()
        for part in (self.header("cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "mast_token":
                return value.strip()
        return None

    def authorized(self):
        return self.state.token_valid(self.token())

    def netlocs(self):
        own = {urlsplit(self.state.base_url).netloc}
        if self.header("host"):
            own.add(self.header("host"))
        return own


# ---------------------------------------------------------------- invoke


def decode_invoke(request):
    """Decode the invoke request early (for the log and fault matching)."""
    try:
        request.invoke = request_from_http(request.query,
                                           request.body if request.method == "POST" else b"")
    except ServiceError as exc:
        request.invoke_error = exc.message
    except BadRequest as exc:
        request.invoke_error = BadRequest(str(exc))


def invoke(request):
    if isinstance(request.invoke_error, BadRequest):
        return text_response(400, str(request.invoke_error))
    if request.invoke_error is not None:
        return Response(200, formats.error_body(request.invoke_error), formats.JSON_TYPE)
    kind, body = request.state.invoker.answer(request.invoke, request.base_url,
                                              request.netlocs())
    return Response(200, body, kind)


def columnsconfig(request):
    values = request.form().get("colConfigId") or parse_qs(request.query).get("colConfigId")
    name = (values or [""])[0].strip()
    recorded = {"mast.caom.cone": "columnsconfig.json",
                "mast.catalogs.tess.cone": "ticcolumns.json",
                "mast.catalogs.dd.cone": "ddcolumns.json"}.get(name.lower())
    if recorded:
        return Response(200, fixtures.raw(recorded), formats.JSON_TYPE)
    config = column_config(name)
    if config is None:
        return Response(200, b"", formats.JSON_TYPE)
    return Response(200, json.dumps(config).encode("utf-8"), formats.JSON_TYPE)


# ---------------------------------------------------------------- downloads


def download_uri(request):
    """The download URI of a Download/file request (query, or form body)."""
    values = downloads.query_values(request.query).get("uri")
    if not values and request.method == "POST":
        values = request.form().get("uri")
    return values[0] if values else None


def download_file(request):
    uri = download_uri(request)
    if not uri:
        return text_response(400, "Missing required parameter 'uri'.")
    info = downloads.resolve(uri)
    if info is None:
        return downloads.not_found(uri)
    return downloads.file_response(info, request.method, request.header("range"),
                                   request.authorized(), request.state.alt_url,
                                   request.ignore_range, request=request)


def stpubdata(request):
    """Alt listener: the redirect target of mast:SANDBOX/redirect/... files,
    and of the Missions API's retrieve_product (missions/<mission>/<DATASET>/<file>)."""
    rest = request.path[len("/stpubdata/sandbox/"):]
    if rest.startswith("missions/"):
        return _mission_file(unquote(rest[len("missions/"):]), request)
    info = downloads.resolve("mast:SANDBOX/" + rest)
    if info is None or not info.redirect:
        return downloads.not_found(request.path)
    info.redirect = False
    return downloads.file_response(info, request.method, request.header("range"), True,
                                   ignore_range=request.ignore_range, request=request)


# ---------------------------------------------------------------- the Missions search API


def _mission_file(name, request):
    """The file of a Missions product named <mission>/<DATASET>/<file>."""
    mission, _, product = name.partition("/")
    found = missions.find_product(product) if mission in missions.MISSIONS else None
    if found is None:
        return downloads.not_found(name)
    info = downloads.FileInfo("mission:%s" % name, found[0], found[1], collection=mission,
                              obs_id=product.partition("/")[0])
    return downloads.file_response(info, request.method, request.header("range"), True,
                                   ignore_range=request.ignore_range, request=request)


def mission_api(request):
    """/search/<mission>/api/v0.1/{search,post_list_products,retrieve_product,...}."""
    where = missions.split_path(request.path)
    if where is None:
        return text_response(404, "Not found: %s" % request.path)
    mission, endpoint = where
    query = downloads.query_values(request.query)
    if mission == "util" and endpoint == "column_list":
        return missions.columns((query.get("mission") or [""])[0])
    if endpoint == "retrieve_product":
        name = (query.get("product_name") or [""])[0]
        if mission not in missions.MISSIONS or missions.find_product(name) is None:
            return json_response({"detail": "No product '%s' in %s." % (name, mission)}, 404)
        location = "%s/stpubdata/sandbox/missions/%s/%s" % (request.state.alt_url, mission,
                                                            quote(name))
        return Response(307, b"", headers=[("Location", location)], length=0)
    if endpoint == "retrieve_product_zip":
        if request.method != "POST":
            return json_response({"detail": "Use POST with a form body."}, 405)
        try:
            fields = missions.form_fields(request.header("content-type"), request.body or b"")
        except missions.MissionError as error:
            return json_response({"detail": str(error)}, 400)
        status, body, kind = missions.product_zip(mission, fields)
        return Response(status, body, kind)
    if endpoint in ("search", "post_list_products"):
        if request.method != "POST":
            return json_response({"detail": "Use POST with a JSON body."}, 405)
        try:
            body = missions.parse_body(request)
        except missions.MissionError as error:
            return json_response({"detail": str(error)}, 400)
        if endpoint == "search":
            return missions.search(mission, body)
        return missions.post_list_products(mission, body)
    return text_response(404, "Not found: %s" % request.path)


def hla(request):
    query = downloads.query_values(request.query)
    if request.path.endswith("getdata.cgi"):
        name = (query.get("dataset") or [""])[0]
        kind = "getdata"
    else:
        name = (query.get("file_id") or [""])[0]
        kind = "ecfproxy"
    if not name:
        return text_response(400, "Missing dataset name.")
    return downloads.file_response(downloads.hla_file(kind, name), request.method,
                                   request.header("range"), True,
                                   ignore_range=request.ignore_range, request=request)


def bundle(request):
    path = request.path.rstrip("/")
    kind = "tar.gz"  # a bare /bundle gives a tar.gz [INFERRED]
    for ext in ("tar.gz", "zip", "sh"):
        if path.endswith("." + ext):
            kind = ext
    uris = request.form().get("uri", []) if request.method == "POST" else []
    query = downloads.query_values(request.query)
    uris += query.get("uri", [])
    if query.get("obsid"):
        uris += bundles.obsid_uris(query["obsid"])
    if not uris:
        return text_response(400, "No 'uri' or 'obsid' given for the bundle.")
    return _bundle_response(kind, uris, request)


def _bundle_response(kind, uris, request):
    try:
        ctype, name, body = bundles.make_bundle(kind, uris, request.authorized(),
                                                request.base_url)
    except bundles.BundleError as exc:
        return text_response(413, str(exc))
    headers = [("Content-Disposition", "attachment; filename=%s" % name)]
    return Response(200, b"" if request.method == "HEAD" else body, ctype, headers,
                    length=len(body))


def staged(request):
    """The URL handed out by Mast.Bundle.Request."""
    parts = request.path.split("/")
    stage_id, filename = parts[-2], parts[-1]
    found = request.state.bundles.lookup(stage_id)
    if found is None:
        return downloads.not_found(request.path)
    kind, uris = found
    if filename.endswith("_MANIFEST.html"):
        statuses = [(u, None, "COMPLETE" if downloads.resolve(u) else "NOT FOUND") for u in uris]
        return Response(200, bundles.manifest_html(statuses), "text/html; charset=utf-8")
    return _bundle_response(kind, uris, request)


# ---------------------------------------------------------------- misc


def whoami(request):
    token = request.token()
    if not request.state.token_valid(token):
        return json_response({"anon": True, "ezid": "anonymous", "scopes": [], "session": None,
                              "token": None})
    return json_response({
        "eppn": "sandbox-user@stsci.edu", "ezid": "sandbox-user",
        "attrib": {"uuid": "00000000-0000-4000-8000-000000000001", "first_name": "Sandbox",
                   "last_name": "User", "display_name": "Sandbox User", "internal": "0",
                   "email": "sandbox-user@example.org"},
        "anon": False, "scopes": ["mast:user:info", "mast:exclusive_access"],
        "session": None, "token": token})


def vo_cone(request):
    query = {k.upper(): v[0] for k, v in parse_qs(request.query).items()}
    try:
        ra, dec, radius = float(query["RA"]), float(query["DEC"]), float(query["SR"])
    except (KeyError, ValueError):
        return text_response(400, "RA, DEC and SR are required.")
    table = vo.resource_cone(request.path[len("/vo/cone/"):], ra, dec, min(radius, 1.0))
    if table is None:
        return downloads.not_found(request.path)
    body = formats.votable_body(table, table.rows, list(range(len(table.fields))))
    return Response(200, body, formats.VOTABLE_TYPE)


INDEX = """mast-sandbox: a local MAST-compatible server (offline sandbox).

  POST/GET /api/v0/invoke              the MAST invoke API (request=<json>)
  POST     /portal/Mashup/Mashup.asmx/columnsconfig
  GET/HEAD /api/v0.1/Download/file?uri=...
  POST     /api/v0.1/Download/bundle{.tar.gz,.zip,.sh}
  GET      /whoami
  GET      /Santa-war/query?name=...   /api/v0.1/path_lookup/?uri=...
  GET      /__sandbox/requests  (control API; see sandbox/README.md)
"""


def index(request):
    return text_response(200, INDEX)


MAIN_ROUTES = (
    ("exact", "/api/v0/invoke", invoke),
    ("exact", "/portal/Mashup/Mashup.asmx/invoke", invoke),
    ("exact", "/portal/Mashup/Mashup.asmx/columnsconfig", columnsconfig),
    ("exact", "/api/v0.1/Download/file", download_file),
    ("exact", "/api/v0.1/Download/file/", download_file),
    ("exact", "/api/v0/download/file", download_file),
    ("prefix", "/api/v0.1/Download/bundle", bundle),
    ("prefix", "/portal/Download/stage/", staged),
    ("exact", "/whoami", whoami),
    ("exact", "/cgi-bin/getdata.cgi", hla),
    ("exact", "/cgi-bin/ecfproxy", hla),
    ("prefix", "/vo/cone/", vo_cone),
    ("prefix", "/search/", mission_api),
    ("prefix", "/api/v0.1/panstarrs/", panstarrs.handle),
    ("prefix", "/tesscut/", cutouts.tesscut),
    ("prefix", "/zcut/", cutouts.zcut),
    ("prefix", "/hapcut/", cutouts.hapcut),
    ("prefix", "/vo-tap/api/v0.1/", tap.handle),
    ("prefix", "/Santa-war/query", cloud.santa),
    ("prefix", "/api/v0.1/path_lookup", cloud.path_lookup),
    ("exact", "/", index),
)

ALT_ROUTES = (
    ("prefix", "/stpubdata/sandbox/", stpubdata),
    ("prefix", "/", cloud.bucket),   # S3-style public bucket: /stpubdata/<key>
)


def route(request):
    """The handler for a request, or None (404)."""
    table = MAIN_ROUTES if request.listener == "main" else ALT_ROUTES
    for kind, pattern, handler in table:
        if (kind == "exact" and request.path == pattern) or \
                (kind == "prefix" and request.path.startswith(pattern)):
            return handler
    return None
