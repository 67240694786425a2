"""Issue 11 cloud and resolver endpoints: SANTA (``/Santa-war/query``),
``/api/v0.1/path_lookup/`` and an S3-style public bucket on the alt listener.

Which products are "in the cloud": a product the sandbox can serve
(``downloads.resolve``) whose collection is one of CLOUD_COLLECTIONS and which
is not exclusive-access.  Its key is ``<collection lower>/public/<obs_id[:4]>/
<obs_id>/<file>`` (lower-cased ids), the shape of the recorded HST answer.
"""

import hashlib
import json
from urllib.parse import quote

from . import downloads, fixtures
from .response import Response, json_response, text_response

CLOUD_COLLECTIONS = {"hst": "HST", "tess": "TESS", "jwst": "JWST", "k2": "K2",
                     "kepler": "Kepler", "galex": "GALEX"}
SANTA_MAX_NAMES = 30    # astroquery's batch size; more -> 414 [INFERRED]
PATH_LOOKUP_MAX = 40    # astroquery's batch size; more -> 414 [INFERRED]


# ---------------------------------------------------------------- SANTA


def santa(request):
    query = downloads.query_values(request.query.replace("+", "%20"))
    names = [n for n in query.get("name", []) if n.strip()]
    if not names:
        return text_response(400, "Missing required parameter 'name'.")
    if len(names) > SANTA_MAX_NAMES:
        return text_response(414, "Request-URI Too Long")   # [INFERRED]
    resolve_all = (query.get("resolveAll") or ["false"])[0].strip().lower() == "true"
    wanted = {r.strip().upper() for r in query.get("resolver", []) if r.strip()}
    recorded = fixtures.parsed("resolver.json")["resolvedCoordinate"]
    order = list(dict.fromkeys(e["searchString"] for e in recorded))
    if resolve_all and not wanted and [" ".join(n.lower().split()) for n in names] == order:
        return Response(200, fixtures.raw("resolver.json"), "application/json")
    entries = []
    for name in names:
        # Same data as Mast.Name.Lookup (services.name_lookup): both resolvers agree.
        found = [e for e in fixtures.resolver_entries(name) or []
                 if not wanted or e["resolver"].upper() in wanted]
        entries.extend(found if resolve_all else found[:1])
    # A miss is simply no entry for that name (astroquery checks per searchString).
    body = json.dumps({"resolvedCoordinate": entries, "status": ""}, indent=4,
                      ensure_ascii=False)
    return Response(200, body.encode("utf-8"), "application/json")


# ---------------------------------------------------------------- path_lookup


def cloud_path(uri):
    """The public bucket path ('/hst/public/...') of a product URI, or None."""
    info = downloads.resolve(uri)
    if info is None or info.exclusive or info.redirect:
        return None
    collection = (info.collection or "").lower()
    if collection not in CLOUD_COLLECTIONS or not uri.startswith("mast:"):
        return None
    obs = (info.obs_id or info.name.split("_")[0]).lower()
    return "/%s/public/%s/%s/%s" % (collection, obs[:4], obs, info.name)


def path_lookup(request):
    values = downloads.query_values(request.query).get("uri")
    if not values and request.method == "POST":
        values = request.form().get("uri")
    if not values:
        return text_response(400, "Missing required parameter 'uri'.")
    if len(values) > PATH_LOOKUP_MAX:
        return text_response(414, "Request-URI Too Long")   # [INFERRED]
    recorded = fixtures.parsed("mast_relative_path.json")
    if list(recorded) == values:
        return Response(200, fixtures.raw("mast_relative_path.json"), "application/json")
    answer = {}
    for uri in values:
        path = cloud_path(uri)
        answer[uri] = {"status_code": 200 if path else 404, "path": path}
    return Response(200, json.dumps(answer, indent=4).encode("utf-8"), "application/json")


# ---------------------------------------------------------------- the bucket


def _info_for_key(key):
    """FileInfo for a bucket key ('hst/public/u9o4/u9o40504m/x.fits'), or None."""
    parts = key.split("/")
    if len(parts) != 5 or parts[1] != "public" or parts[0] not in CLOUD_COLLECTIONS:
        return None
    uri = "mast:%s/product/%s" % (CLOUD_COLLECTIONS[parts[0]], parts[4])
    if cloud_path(uri) != "/" + key:
        return None
    return downloads.resolve(uri)


def no_such_key(key):
    body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
            "<Message>The specified key does not exist.</Message><Key>%s</Key>"
            "<RequestId>sandbox</RequestId></Error>" % quote(key, safe="/"))
    return Response(404, body.encode("utf-8"), "application/xml")


def bucket(request):
    """GET|HEAD /stpubdata/<key> (also /<any bucket>/<key>): the same bytes as
    Download/file for that product, unsigned."""
    if request.method not in ("GET", "HEAD"):
        return text_response(405, "Method not allowed.")
    key = request.path.lstrip("/").partition("/")[2]
    info = _info_for_key(key)
    if info is None:
        return no_such_key(key)
    response = downloads.file_response(info, request.method, request.header("range"), True,
                                       ignore_range=request.ignore_range, request=request)
    if response.status in (200, 206):
        etag = hashlib.md5(("etag\x1f" + info.uri).encode("utf-8")).hexdigest()
        response.headers.append(("ETag", '"%s"' % etag))
    return response
