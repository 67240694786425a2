"""The MAST Missions search API (``/search/<mission>/api/v0.1/...``).

Datasets are the sandbox's CAOM observations of the mission's collection
(HST for ``hst``, JWST for ``jwst``), so a Missions search finds the same
observations at a position as Mast.Caom.Cone does, under the Missions API's
column names (mission_columns.json for hst).  The recorded answers
(mission_results.json, mission_count_only.json, mission_products.json) are
served byte for byte for the requests they answer.

Conditions: ``[{"col": "v1,v2"}, ...]``; a comma list means any of them, and
an empty value means no condition (as in the recorded request).  A value
with ``*`` is a case-insensitive wildcard, ``a..b`` an inclusive range, and
``<x``, ``>x``, ``<=x``, ``>=x`` comparisons [INFERRED: the public
material shows only plain values and comma lists].
"""

import datetime
import fnmatch
import json

from . import fixtures
from .caom import CAOM, COL
from .response import Response, json_response, text_response
from .sky import angular_distance

MISSIONS = {"hst": "HST", "jwst": "JWST"}
MAX_RADIUS_ARCMIN = 30.0
MAX_TARGETS = 100
NEW_FOLDER = "astroquery-pr3645"

_UNITS = {"arcseconds": 1 / 3600.0, "arcsec": 1 / 3600.0, "arcminutes": 1 / 60.0,
          "arcmin": 1 / 60.0, "degrees": 1.0, "deg": 1.0}

# column -> (Missions API type, how it is made from a CAOM row)
COLUMNS = (
    ("sci_data_set_name", "STRING"), ("sci_targname", "STRING"), ("sci_ra", "FLOAT"),
    ("sci_dec", "FLOAT"), ("sci_refnum", "INTEGER"), ("sci_start_time", "DATETIME"),
    ("sci_stop_time", "DATETIME"), ("sci_actual_duration", "FLOAT"), ("sci_instrume", "STRING"),
    ("sci_aper_1234", "STRING"), ("sci_spec_1234", "STRING"),
    ("sci_central_wavelength", "FLOAT"), ("sci_pep_id", "INTEGER"),
    ("sci_release_date", "DATETIME"), ("sci_preview_name", "STRING"),
    ("scp_scan_type", "STRING"), ("sci_hlsp", "STRING"), ("sci_status", "STRING"),
    ("sci_obs_type", "STRING"), ("sci_aec", "STRING"),
)
TYPES = dict(COLUMNS)
DEFAULT_COLS = [name for name, _ in COLUMNS if name not in ("sci_obs_type", "sci_aec")]


class MissionError(Exception):
    """A bad request: 400 with the text."""


def _iso(mjd):
    if mjd is None:
        return None
    moment = datetime.datetime(1858, 11, 17) + datetime.timedelta(days=mjd)
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")


def _dataset(row):
    """The Missions API's columns of one CAOM observation row."""
    instrument = row[COL["instrument_name"]]
    proposal = row[COL["proposal_id"]]
    t_min, t_max = row[COL["t_min"]], row[COL["t_max"]]
    em_min, em_max = row[COL["em_min"]], row[COL["em_max"]]
    name = row[COL["obs_id"]].upper()
    return {
        "sci_data_set_name": name,
        "sci_targname": row[COL["target_name"]],
        "sci_ra": row[COL["s_ra"]],
        "sci_dec": row[COL["s_dec"]],
        "sci_refnum": row[COL["obsid"]] % 97,
        "sci_start_time": _iso(t_min),
        "sci_stop_time": _iso(t_max),
        "sci_actual_duration": row[COL["t_exptime"]],
        # the archive pads some instrument names with spaces, as "WFPC  " in the recording
        "sci_instrume": instrument.split("/")[0].ljust(6),
        "sci_aper_1234": instrument.split("/")[-1],
        "sci_spec_1234": row[COL["filters"]],
        "sci_central_wavelength": round(10 * (em_min + em_max) / 2, 1),
        "sci_pep_id": int(proposal) if proposal is not None else None,
        "sci_release_date": _iso(row[COL["t_obs_release"]]),
        "sci_preview_name": name,
        "scp_scan_type": None,
        "sci_hlsp": None,
        "sci_status": "PUBLIC",
        "sci_obs_type": "SPECTRUM" if row[COL["dataproduct_type"]] == "spectrum" else "IMAGE",
        "sci_aec": "S",
    }


def _number(text, column):
    try:
        return float(text)
    except ValueError:
        raise MissionError("Invalid value '%s' for column '%s'." % (text, column))


def _matches(value, wanted, column):
    """Whether one dataset value meets one condition value (see the docstring)."""
    kind = TYPES.get(column)
    if isinstance(value, str):
        value_cmp = value.strip()
    else:
        value_cmp = value
    for alternative in wanted.split(","):
        alternative = alternative.strip()
        if value_cmp is None:
            continue
        if kind in ("FLOAT", "INTEGER"):
            if ".." in alternative:
                low, _, high = alternative.partition("..")
                if _number(low, column) <= value_cmp <= _number(high, column):
                    return True
                continue
            for op in ("<=", ">=", "<", ">"):
                if alternative.startswith(op):
                    x = _number(alternative[len(op):], column)
                    if {"<=": value_cmp <= x, ">=": value_cmp >= x, "<": value_cmp < x,
                            ">": value_cmp > x}[op]:
                        return True
                    break
            else:
                if value_cmp == _number(alternative, column):
                    return True
            continue
        if kind == "DATETIME":
            # ISO 8601 text compares in time order; ranges a..b and <, >, <=, >= as for
            # numbers [INFERRED: the service's date syntax mirrors its numeric one]
            when = str(value_cmp)
            if ".." in alternative:
                low, _, high = alternative.partition("..")
                if low.strip() <= when <= high.strip() + "\uffff":
                    return True
                continue
            matched = None
            for op in ("<=", ">=", "<", ">"):
                if alternative.startswith(op):
                    x = alternative[len(op):].strip()
                    matched = {"<=": when <= x + "\uffff", ">=": when >= x, "<": when < x,
                               ">": when > x + "\uffff"}[op]
                    break
            if matched is None:
                matched = when.startswith(alternative)
            if matched:
                return True
            continue
        if "*" in alternative:
            if fnmatch.fnmatchcase(str(value_cmp).lower(), alternative.lower()):
                return True
        elif str(value_cmp).upper() == alternative.upper():
            return True
    return False


def _targets(body):
    targets = body.get("target") or []
    if isinstance(targets, str):
        targets = [targets]
    if len(targets) > MAX_TARGETS:
        raise MissionError("At most %d targets may be given." % MAX_TARGETS)
    out = []
    for target in targets:
        parts = str(target).replace(",", " ").split()
        try:
            ra, dec = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            raise MissionError("Invalid target '%s': expected '<ra> <dec>' in degrees." % target)
        out.append((target, ra, dec))
    return out


def _radius_deg(body):
    radius = body.get("radius", 3)
    units = body.get("radius_units", "arcminutes")
    if units not in _UNITS:
        raise MissionError("Invalid radius_units '%s'." % units)
    if not isinstance(radius, (int, float)) or isinstance(radius, bool) or radius < 0:
        raise MissionError("Invalid radius '%s'." % radius)
    degrees = radius * _UNITS[units]
    if degrees * 60 > MAX_RADIUS_ARCMIN + 1e-9:
        raise MissionError("The radius may be at most %g arcminutes." % MAX_RADIUS_ARCMIN)
    return degrees


def _conditions(body):
    out = []
    for condition in body.get("conditions") or []:
        if not isinstance(condition, dict):
            raise MissionError("Each condition must be an object {column: value}.")
        for column, value in condition.items():
            if column not in TYPES:
                raise MissionError("Unknown column '%s'." % column)
            if value is None or str(value) == "":
                continue
            out.append((column, str(value)))
    return out


def _search_rows(collection, targets, radius, conditions):
    rows = []
    if targets:
        for target, ra, dec in targets:
            for _, row in CAOM.cone(ra, dec, radius):
                if row[COL["obs_collection"]] != collection:
                    continue
                d = _dataset(row)
                d["search_pos"] = target
                d["search_key"] = target + d["sci_data_set_name"]
                d["ang_sep"] = angular_distance(ra, dec, d["sci_ra"], d["sci_dec"]) * 60
                rows.append(d)
    else:
        for row in CAOM.all_sky_rows():
            if row[COL["obs_collection"]] == collection:
                rows.append(_dataset(row))
    return [d for d in rows if all(_matches(d.get(c), v, c) for c, v in conditions)]


def _sort(rows, sort_by, sort_desc):
    for i in range(len(sort_by) - 1, -1, -1):
        key = sort_by[i]
        if key not in TYPES and key not in ("ang_sep", "search_pos"):
            raise MissionError("Unknown sort column '%s'." % key)
        desc = bool(sort_desc[i]) if i < len(sort_desc) else False
        present = [r for r in rows if r.get(key) is not None]
        missing = [r for r in rows if r.get(key) is None]
        present.sort(key=lambda r: r[key], reverse=desc)
        rows = present + missing
    return rows


def _same_request(body, recorded):
    """Whether a search asks what the recorded one asked: the same targets, the
    same radius (in any units) and the same conditions (in any order)."""
    def key(b):
        try:
            radius = round(_radius_deg(b), 9) if b.get("target") else None
        except MissionError:
            return None
        conditions = sorted((c, str(v)) for cond in b.get("conditions") or [] for c, v in cond.items())
        return (tuple(b.get("target") or []), radius, tuple(conditions))
    return key(body) == key(recorded)


def search(mission, body):
    collection = MISSIONS.get(mission)
    if collection is None:
        return Response(404, json.dumps({"detail": "Unknown mission '%s'." % mission}).encode(),
                        "application/json")
    if mission == "hst":
        recorded = fixtures.parsed("mission_results.json")["search_params"]
        if _same_request(body, recorded) and body.get("offset", 0) == 0 and \
                not body.get("count_only"):
            return Response(200, fixtures.raw("mission_results.json"), "application/json")
        if body.get("count_only") and not body.get("target") and not body.get("conditions"):
            return Response(200, fixtures.raw("mission_count_only.json", NEW_FOLDER),
                            "application/json")
    try:
        targets = _targets(body)
        radius = _radius_deg(body)
        conditions = _conditions(body)
        limit = body.get("limit", 5000)
        offset = body.get("offset", 0)
        if not isinstance(limit, int) or not isinstance(offset, int) or limit < 0 or offset < 0:
            raise MissionError("limit and offset must be integers >= 0.")
        select = body.get("select_cols") or DEFAULT_COLS
        for column in select:
            if column not in TYPES:
                raise MissionError("Unknown column '%s' in select_cols." % column)
        sort_by = body.get("sort_by") or (["ang_sep"] if targets else []) + \
            ["sci_targname", "sci_data_set_name"]
        rows = _sort(_search_rows(collection, targets, radius, conditions), sort_by,
                     body.get("sort_desc") or [])
    except MissionError as error:
        return json_response({"detail": str(error)}, 400)
    params = dict(body)
    params.setdefault("radius", 3)
    params.setdefault("radius_units", "arcminutes")
    params.update({"offset": offset, "limit": limit, "sort_by": sort_by,
                   "select_cols": select, "skip_count": False})
    extra = ["search_pos", "search_key", "ang_sep"] if targets else []
    if body.get("count_only"):
        return json_response({"messages": [], "search_params": params, "info": [],
                              "totalResults": len(rows), "results": []})
    page = rows[offset:offset + limit]
    info = [{"name": c, "type": TYPES[c]} for c in select]
    if targets:
        info += [{"name": "search_pos", "type": "STRING"},
                 {"name": "search_key", "type": "STRING"}, {"name": "ang_sep", "type": "FLOAT"}]
    results = [{c: r.get(c) for c in list(select) + extra} for r in page]
    return json_response({"messages": [], "info": info, "search_params": params,
                          "totalResults": len(rows), "results": results})


# ---------------------------------------------------------------- products

_SUFFIXES = (("raw", "RAW", "UNCALIBRATED", "science", 0.5), ("flt", "FLT", "CALIBRATED",
             "science", 1.0), ("drz", "DRZ", "CALIBRATED", "science", 1.2),
             ("spt", "SPT", "AUXILIARY", "auxiliary", 0.05))


def products_of(dataset):
    """The products of a dataset (generated; stable per name)."""
    recorded = fixtures.parsed("mission_products.json")["products"]
    if dataset == recorded[0]["dataset"]:
        return recorded
    seed = sum(ord(c) for c in dataset)
    out = []
    for stem, suffix, category, kind, scale in _SUFFIXES:
        filename = "%s_%s.fits" % (dataset.lower(), stem)
        out.append({"product_key": "%s_%s" % (dataset, filename), "access": "PUBLIC",
                    "dataset": dataset, "instrument_name": "WFC3  ", "filters": "F606W",
                    "filename": filename, "uri": "%s/%s" % (dataset, filename),
                    "authz_primary_identifier": dataset, "authz_secondary_identifier": suffix,
                    "file_suffix": suffix, "category": category,
                    "size": int(20000 * scale * (1 + seed % 17)), "type": kind})
    return out


def post_list_products(mission, body):
    if mission not in MISSIONS:
        return json_response({"detail": "Unknown mission '%s'." % mission}, 404)
    ids = body.get("dataset_ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or not ids:
        return json_response({"detail": "dataset_ids must be a non-empty list of names."}, 400)
    if len(ids) > 1000:
        return json_response({"detail": "At most 1000 dataset_ids may be given."}, 400)
    if ids == [fixtures.parsed("mission_products.json")["products"][0]["dataset"]]:
        return Response(200, fixtures.raw("mission_products.json"), "application/json")
    products = [p for i in ids for p in products_of(i)]
    # the service sometimes nests the list one level deeper; the sandbox does
    # so for requests of more than one dataset [INFERRED]
    return json_response({"products": [products] if len(ids) > 1 else products})


def find_product(name):
    """(filename, size) of a product named DATASET/file, or None."""
    dataset, _, filename = name.partition("/")
    for product in products_of(dataset):
        if product["filename"] == filename:
            return product["filename"], product["size"]
    return None


def columns(mission):
    if mission == "hst":
        return Response(200, fixtures.raw("mission_columns.json"), "application/json")
    if mission not in MISSIONS:
        return text_response(400, "Unknown mission '%s'." % mission)
    return json_response([{"field_name": name, "description": name, "column_name": name,
                           "queryable": "yes", "qual_type": kind.lower(),
                           "default_output": "yes", "indexed": "no",
                           "datatype": {"FLOAT": "float", "INTEGER": "int"}.get(kind, "char")}
                          for name, kind in COLUMNS])


def parse_body(request):
    """The JSON body of a search request."""
    try:
        body = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        raise MissionError("The body is not JSON.")
    if not isinstance(body, dict):
        raise MissionError("The body must be a JSON object.")
    return body


def split_path(path):
    """(mission, endpoint) of /search/<mission>/api/v0.1/<endpoint>, or None."""
    parts = path.strip("/").split("/")
    if len(parts) != 5 or parts[0] != "search" or parts[2] != "api" or parts[3] != "v0.1":
        return None
    return parts[1], parts[4]


def form_fields(content_type, body):
    """{name: value} of a multipart/form-data body (as MAST's generated scripts
    send it) or of an x-www-form-urlencoded one."""
    from email import policy
    from email.parser import BytesParser
    from urllib.parse import parse_qs
    if (content_type or "").lower().startswith("multipart/form-data"):
        message = BytesParser(policy=policy.default).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
        if not message.is_multipart():
            raise MissionError("The multipart body could not be read.")
        fields = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                fields[name] = part.get_payload(decode=True).decode("utf-8")
        return fields
    try:
        return {k: v[-1] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
    except UnicodeDecodeError:
        raise MissionError("The body is not UTF-8.")


def product_zip(mission, fields):
    """retrieve_product_zip: (status, body, content type). Fields: mission, structure
    (flat | nested), uri (DATASET/file, comma-separated), manifestonly. The zip holds
    each file (flat: its name; nested: DATASET/name) and a MANIFEST.txt [INFERRED:
    the layout of MAST's zip is not recorded; a missing product fails the request
    with 404 rather than being left out silently]."""
    import io
    import zipfile
    from .downloads import content_bytes
    if mission not in MISSIONS:
        return 404, json.dumps({"detail": "Unknown mission '%s'." % mission}).encode(), "application/json"
    structure = (fields.get("structure") or "nested").lower()
    if structure not in ("flat", "nested"):
        return 400, json.dumps({"detail": "structure must be flat or nested."}).encode(), "application/json"
    uris = [u.strip() for u in (fields.get("uri") or "").split(",") if u.strip()]
    if not uris:
        return 400, json.dumps({"detail": "uri is required (DATASET/file, comma-separated)."}).encode(), \
            "application/json"
    found = []
    for uri in uris:
        hit = find_product(uri)
        if hit is None:
            return 404, json.dumps({"detail": "No product '%s' in %s." % (uri, mission)}).encode(), \
                "application/json"
        found.append((uri, hit))
    manifest = "".join("%s\t%d\n" % (uri, size) for uri, (_, size) in found)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        if (fields.get("manifestonly") or "").lower() != "true":
            for uri, (filename, size) in found:
                name = filename if structure == "flat" else uri
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                info.external_attr = 0o100644 << 16
                archive.writestr(info, content_bytes("mission:%s/%s" % (mission, uri), size))
        archive.writestr(zipfile.ZipInfo("MANIFEST.txt", date_time=(2024, 1, 1, 0, 0, 0)), manifest)
    return 200, buffer.getvalue(), "application/zip"
