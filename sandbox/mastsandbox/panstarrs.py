"""Catalogs.MAST Pan-STARRS1 API (catalogs.mast.stsci.edu) on the main listener.

Paths are exactly catalogs.mast's (a client points its catalogs base URL at
the sandbox):

* ``/api/v0.1/panstarrs/<release>/<table>[.json|.csv]`` — a search;
* ``/api/v0.1/panstarrs/<release>/<table>/metadata[.json]`` — the columns.

Releases and tables: dr1 has ``mean`` and ``stack``; dr2 has ``mean``,
``stack``, ``detection`` and ``forced_mean`` (MAST's catalogs documentation
as quoted by third-party clients: "DR 1 Mean, and Stack ... DR 2 Mean,
Stack, and Detection, forced_mean"; dr1/detection and dr1/forced_mean are
refused).

Parameters arrive as a GET query string, a form POST or a JSON-body POST
(any mix; query-string values come first).  ``ra``, ``dec``, ``radius``
(degrees), ``columns`` (repeated, comma lists, or a JSON list), ``sort_by``
(``col`` / ``desc.col`` / ``asc.col``, repeatable), ``<col>.gte/.gt/.lte/.lt/
.eq`` (and ``.min``/``.max`` as ``gte``/``lte``) decorators and plain
``<col>=v1,v2`` (any of), ``pagesize``, ``page``, ``format``, the JSON
options ``flatten_response`` / ``include_info`` / ``raw``.

The rows are the synthetic sky's Gaia DR2 stars (the same sources, at the
same positions, as the Portal's ``Mast.Catalogs.GaiaDR2.Cone``), seen by
Pan-STARRS: an ``objID`` built from the position the way PS1 does
(zone × 10^13 + ⌊ra·10^6⌋ × 10^4 + zone fraction × 10^4, so every objID
is above 2^53), magnitudes derived from the Gaia photometry.

The recorded answer ``panstarrs.json`` (35 rows, 6 columns) is served byte
for byte for the request it answers (see ``recorded_match``), and the
recorded ``panstarrs_columns.json`` for ``dr2/mean/metadata.json``.

Everything marked [INFERRED] is a guess about the real service.
"""

import json
import math
import struct
from urllib.parse import parse_qs

from . import fixtures
from .catalogs import CATALOGS
from .response import Response
from .sky import angular_distance, ecliptic, galactic, rng_for

PREFIX = "/api/v0.1/panstarrs/"
TABLES = {"dr1": ("mean", "stack"), "dr2": ("mean", "stack", "detection", "forced_mean")}
BANDS = "grizy"
JSON_TYPE = "application/json"        # [INFERRED]
CSV_TYPE = "text/csv; charset=utf-8"  # [INFERRED]
DEFAULT_PAGESIZE = 50000              # [INFERRED] (astroquery's own pagesize)
MAX_RADIUS = 0.5                      # [INFERRED] third-party clients document "<= 30 arcmin"
DEC_MIN = -33.5                       # [INFERRED] 3pi is dec > -30; the recording has -32.5
MAX_ROWS = 2_000_000                  # sandbox guard

RECORDED_CENTRE = (5.97754, -32.53617)  # inferred: every recorded row within 0.0099 deg
RECORDED_COLUMNS = ("objname", "objid", "lambda", "beta", "imeanapmag", "surveyid")


class Unprocessable(Exception):
    """A request the service refuses with HTTP 422."""


def _error(status, message):
    # [INFERRED] FastAPI-style body; the issue tracker only shows that bad requests get 422.
    body = json.dumps({"detail": message}, separators=(",", ":")).encode("utf-8")
    return Response(status, body, JSON_TYPE)


# ---------------------------------------------------------------- columns


def _f32(x):
    """The double nearest a float32 (real32 columns print like 20.271799087524414)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _band_columns(f):
    cols = [(f + "QfPerfect", "float")]
    for kind in ("PSF", "Kron", "Ap"):
        cols += [(f + "Mean%sMag" % kind, "float"), (f + "Mean%sMagErr" % kind, "float"),
                 (f + "Mean%sMagStd" % kind, "float"), (f + "Mean%sMagNpt" % kind, "short")]
        if kind == "PSF":
            cols += [(f + "MeanPSFMagMin", "float"), (f + "MeanPSFMagMax", "float")]
    return cols + [(f + "Flags", "int")]


def _mean_columns():
    """(name, type) of dr2/mean, from the recorded metadata."""
    return [(c["name"], c["type"]) for c in fixtures.parsed("panstarrs_columns.json")]


STACK_HEAD = [("objName", "char"), ("objID", "long"), ("uniquePspsSTid", "long"),
              ("primaryDetection", "unsignedByte"), ("bestDetection", "unsignedByte"),
              ("ippObjID", "long"), ("surveyID", "unsignedByte"), ("tessID", "unsignedByte"),
              ("projectionID", "short"), ("skyCellID", "unsignedByte"),
              ("randomStackObjID", "long"), ("dvoRegionID", "int"), ("processingVersion",
                                                                     "unsignedByte"),
              ("objInfoFlag", "int"), ("qualityFlag", "unsignedByte"), ("raStack", "double"),
              ("decStack", "double"), ("raStackErr", "float"), ("decStackErr", "float"),
              ("raMean", "double"), ("decMean", "double"), ("nStackDetections", "short"),
              ("nDetections", "short")]
STACK_BAND = ("ippDetectID:long stackDetectID:long PSFMag:float PSFMagErr:float "
              "KronMag:float KronMagErr:float ApMag:float ApMagErr:float "
              "psfMajorFWHM:float psfMinorFWHM:float infoFlag:int")
FORCED_HEAD = [("objName", "char"), ("objID", "long"), ("uniquePspsFOid", "long"),
               ("ippObjID", "long"), ("surveyID", "unsignedByte"), ("tessID", "unsignedByte"),
               ("projectionID", "short"), ("skyCellID", "unsignedByte"),
               ("randomForcedObjID", "long"), ("dvoRegionID", "int"),
               ("processingVersion", "unsignedByte"), ("objInfoFlag", "int"),
               ("raMean", "double"), ("decMean", "double")]
FORCED_BAND = ("nTotal:short nIncPSFFlux:short FPSFFlux:float FPSFFluxErr:float "
               "FPSFMag:float FPSFMagErr:float FApMag:float FApMagErr:float "
               "FKronMag:float FKronMagErr:float Flags:int")
DETECTION = [("objID", "long"), ("detectID", "long"), ("ippObjID", "long"),
             ("ippDetectID", "long"), ("filterID", "unsignedByte"),
             ("surveyID", "unsignedByte"), ("imageID", "long"), ("randomDetID", "double"),
             ("dvoRegionID", "int"), ("obsTime", "double"), ("xPos", "float"),
             ("yPos", "float"), ("xPosErr", "float"), ("yPosErr", "float"), ("ra", "double"),
             ("dec", "double"), ("raErr", "float"), ("decErr", "float"), ("zp", "float"),
             ("expTime", "float"), ("airMass", "float"), ("psfFlux", "float"),
             ("psfFluxErr", "float"), ("psfMajorFWHM", "float"), ("psfMinorFWHM", "float"),
             ("psfQfPerfect", "float"), ("apFlux", "float"), ("apFluxErr", "float"),
             ("kronFlux", "float"), ("kronFluxErr", "float"), ("sky", "float"),
             ("infoFlag", "long"), ("infoFlag2", "int"), ("infoFlag3", "int")]


def _banded(spec):
    return [(f + item.split(":")[0], item.split(":")[1]) for f in BANDS for item in spec.split()]


def columns(release, table):
    """[(name, type)] of a table (dr2/mean recorded; the others of this sandbox's design
    using the real PS1 column names [INFERRED])."""
    if table == "mean":
        cols = _mean_columns()
        if release == "dr1":  # [INFERRED] DR1 MeanObject lacks the DR2-only posMeanChisq
            cols = [c for c in cols if c[0] != "posMeanChisq"]
        return cols
    if table == "stack":
        return STACK_HEAD + _banded(STACK_BAND)
    if table == "forced_mean":
        return FORCED_HEAD + _banded(FORCED_BAND)
    return list(DETECTION)


DESCRIPTIONS = {
    "uniquePspsSTid": "Unique internal PSPS stack identifier.",
    "uniquePspsFOid": "Unique internal PSPS forced-mean identifier.",
    "primaryDetection": "Identifies this row as the primary stack detection.",
    "bestDetection": "Identifies this row as the best stack detection.",
    "detectID": "Unique detection identifier.", "filterID": "Filter identifier.",
    "obsTime": "Modified Julian Date at the midpoint of the observation.",
    "ra": "Right ascension of the detection.", "dec": "Declination of the detection.",
}


#: type -> (db_type, size) as in the recorded metadata
SQL_TYPES = {"char": ("STRING", "32"), "double": ("DOUBLE", "8"), "float": ("REAL", "4"),
             "int": ("INTEGER", "4"), "long": ("BIGINT", "8"), "short": ("SMALLINT", "2"),
             "unsignedByte": ("TINYINT", "1")}


def metadata(release, table):
    """The metadata.json entries of a table, as a list of dicts (key order of the recording)."""
    recorded = {c["name"]: c for c in fixtures.parsed("panstarrs_columns.json")}
    out = []
    for index, (name, kind) in enumerate(columns(release, table), 1):
        db_type, size = SQL_TYPES[kind]
        entry = dict(recorded.get(name) or {
            "name": name, "db_type": db_type, "column_name": name,
            "description": DESCRIPTIONS.get(name, _describe(name)),
            "unit": "NULL", "ucd": "NULL", "utype": "NULL", "datatype": kind,
            "size": size, "principal": "NULL", "indexed": "NULL", "std": "NULL",
            "column_index": "", "arraysize": size + "*" if kind == "char" else size,
            "search_priority": "", "default_value": "NULL", "type": kind})
        entry["column_index"] = entry["search_priority"] = str(index)
        out.append(entry)
    return out


def _describe(name):
    if name[:1] in BANDS and name[1:2].isupper():
        return "%s (%s filter)." % (name[1:], name[0])
    return "%s." % name


# ---------------------------------------------------------------- the objects


GAIA = CATALOGS["gaiadr2"]
_G_POS = [f.name for f in GAIA.fields]
G_RA, G_DEC, G_MAG, G_BPRP = (_G_POS.index(n) for n in ("ra", "dec", "phot_g_mean_mag",
                                                        "bp_rp"))
LIMITS = {"g": 23.3, "r": 23.2, "i": 23.1, "z": 22.3, "y": 21.4}
FILTER_ID = {f: i + 1 for i, f in enumerate(BANDS)}


def object_id(ra, dec):
    """PS1's objID from a position: zone, ra in micro-degrees, zone fraction."""
    zh = (dec + 90.0) * 120.0
    zid = int(zh)
    return zid * 10 ** 13 + int(ra * 1e6) * 10 ** 4 + int((zh - zid) * 10 ** 4)


def position_of(obj_id):
    """Approximate (ra, dec) encoded in an objID."""
    zid, rest = divmod(int(obj_id), 10 ** 13)
    ra_micro, frac = divmod(rest, 10 ** 4)
    return ra_micro / 1e6, (zid + frac / 1e4) / 120.0 - 90.0


def _sexa(ra, dec):
    """'HHMMSS.sss+DDMMSS.sss' (PSO J... names)."""
    total = round(ra / 15.0 * 3600.0, 3) % 86400.0
    hh, rem = divmod(total, 3600)
    mm, ss = divmod(rem, 60)
    sign = "-" if dec < 0 else "+"
    dtot = round(abs(dec) * 3600.0, 3)
    dd, rem = divmod(dtot, 3600)
    dm, ds = divmod(rem, 60)
    return "%02d%02d%06.3f%s%02d%02d%06.3f" % (hh, mm, ss, sign, dd, dm, ds)


def _object(ra, dec, grow, release):
    """The values of one PS1 object (every mean/stack/forced column) as a dict."""
    oid = object_id(ra, dec)
    rng = rng_for("PS1", release, oid)
    r = rng.random
    gmag = grow[G_MAG]
    colour = grow[G_BPRP] if grow[G_BPRP] is not None else 0.8 + r()
    rmag = gmag + 0.15 + 0.1 * colour
    mags = {"g": rmag + 0.35 + 0.45 * colour, "r": rmag, "i": rmag - 0.25 * colour,
            "z": rmag - 0.35 * colour, "y": rmag - 0.4 * colour}
    zh = (dec + 90.0) * 120.0
    v = {"objName": "PSO J" + _sexa(ra, dec), "objAltName1": None, "objAltName2": None,
         "objAltName3": None, "objID": oid,
         "uniquePspsOBid": 400_000_000_000_000_000 + oid % 10 ** 15 * 100 + 2,
         "ippObjID": 100_000_000_000 + oid % 10 ** 11, "surveyID": 0,
         "htmID": 2 ** 43 + oid % 2 ** 43, "zoneID": int(zh), "tessID": 1,
         "projectionID": 635 + int((dec + 90.0) / 4.0) * 60 + int(ra / 4.0) % 60,
         "skyCellID": int(r() * 100), "randomID": r(), "batchID": 180_000 + oid % 9973,
         "dvoRegionID": 100_000 + int(zh / 4) * 91 + int(ra), "processingVersion":
             3 if release == "dr2" else 2,
         "objInfoFlag": 0x10000000 | (0x2000 if r() < 0.3 else 0), "qualityFlag":
             int(rng.choice((52, 60, 61, 53, 20))),
         "raMean": ra, "decMean": dec, "raMeanErr": _f32(0.002 + 0.05 * r()),
         "decMeanErr": _f32(0.002 + 0.05 * r()), "epochMean": 55800.0 + 1000 * r(),
         "posMeanChisq": _f32(0.3 + 3 * r()),
         "cx": math.cos(math.radians(dec)) * math.cos(math.radians(ra)),
         "cy": math.cos(math.radians(dec)) * math.sin(math.radians(ra)),
         "cz": math.sin(math.radians(dec))}
    v["lambda"], v["beta"] = ecliptic(ra, dec)
    v["l"], v["b"] = galactic(ra, dec)
    total = 0
    for f in BANDS:
        mag = mags[f]
        seen = mag < LIMITS[f] - 0.8 * r()
        n = (1 + int(r() * 14)) if seen else 0
        v["n" + f] = n
        total += n
        err = 0.003 + 0.5 * 10 ** (0.4 * (mag - LIMITS[f])) if seen else None
        if seen:
            v[f + "QfPerfect"] = _f32(0.85 + 0.15 * r())
            for kind, off in (("PSF", 0.0), ("Kron", -0.05 - 0.1 * r()), ("Ap", 0.02)):
                m = mag + off + rng.gauss(0, 0.01)
                v[f + "Mean%sMag" % kind] = _f32(m)
                v[f + "Mean%sMagErr" % kind] = _f32(err * (1 + 0.1 * r()))
                v[f + "Mean%sMagStd" % kind] = _f32(err * 1.4) if n > 1 else None
                v[f + "Mean%sMagNpt" % kind] = n
            v[f + "MeanPSFMagMin"] = _f32(mag - 2 * err)
            v[f + "MeanPSFMagMax"] = _f32(mag + 2 * err)
            v[f + "Flags"] = 114720 if r() < 0.5 else 16892216
        else:
            # PS1 stores -999 where a band has no measurement (the recording has
            # iMeanApMag -999); the Kron columns come back null here [INFERRED].
            v[f + "QfPerfect"] = -999
            for kind in ("PSF", "Ap"):
                v[f + "Mean%sMag" % kind] = -999
                v[f + "Mean%sMagErr" % kind] = -999
                v[f + "Mean%sMagStd" % kind] = -999
                v[f + "Mean%sMagNpt" % kind] = 0
            for suffix in ("", "Err", "Std"):
                v[f + "MeanKronMag" + suffix] = None
            v[f + "MeanKronMagNpt"] = 0
            v[f + "MeanPSFMagMin"] = -999
            v[f + "MeanPSFMagMax"] = -999
            v[f + "Flags"] = 0
        v["_mag_" + f] = mag if seen else None
        v["_err_" + f] = err
    v["nDetections"] = total
    stacked = any(v["_mag_" + f] is not None for f in BANDS) and r() < 0.92
    v["nStackObjectRows"] = (1 + int(r() * 2)) if stacked else 0
    v["nStackDetections"] = sum(1 for f in BANDS if v["_mag_" + f] is not None) if stacked else 0
    if stacked:
        v["raStack"] = ra + rng.gauss(0, 2e-5)
        v["decStack"] = dec + rng.gauss(0, 2e-5)
        v["raStackErr"] = _f32(0.005 + 0.05 * r())
        v["decStackErr"] = _f32(0.005 + 0.05 * r())
    else:  # never in a stack: the stack position is null (what astroquery users filter out)
        v["raStack"] = v["decStack"] = v["raStackErr"] = v["decStackErr"] = None
    v["_stacked"] = stacked
    _stack_and_forced(v, rng)
    return v


def _stack_and_forced(v, rng):
    r = rng.random
    oid = v["objID"]
    v["uniquePspsSTid"] = 500_000_000_000_000_000 + oid % 10 ** 15 * 100 + 1
    v["uniquePspsFOid"] = 600_000_000_000_000_000 + oid % 10 ** 15 * 100 + 1
    v["primaryDetection"] = 1
    v["bestDetection"] = 1
    v["randomStackObjID"] = int(r() * 2 ** 62)
    v["randomForcedObjID"] = int(r() * 2 ** 62)
    for k, f in enumerate(BANDS):
        mag = v["_mag_" + f]
        err = v["_err_" + f]
        if mag is None:
            for name in STACK_BAND.split() + FORCED_BAND.split():
                if name != "Flags:int":  # gFlags... is shared with the mean table
                    v[f + name.split(":")[0]] = None
            v[f + "nTotal"] = v[f + "nIncPSFFlux"] = 0
            continue
        flux = 3631.0 * 10 ** (-0.4 * mag)
        v[f + "ippDetectID"] = 10 ** 9 + oid % 10 ** 9 + k
        v[f + "stackDetectID"] = 160_000_000_000_000_000 + oid % 10 ** 16 + k
        v[f + "PSFMag"] = _f32(mag + rng.gauss(0, 0.01))
        v[f + "PSFMagErr"] = _f32(err * 0.6)
        v[f + "KronMag"] = _f32(mag - 0.05 - 0.1 * r())
        v[f + "KronMagErr"] = _f32(err * 0.8)
        v[f + "ApMag"] = _f32(mag + 0.02)
        v[f + "ApMagErr"] = _f32(err * 0.7)
        v[f + "psfMajorFWHM"] = _f32(1.0 + 0.6 * r())
        v[f + "psfMinorFWHM"] = _f32(0.9 + 0.5 * r())
        v[f + "infoFlag"] = 0x10000000 if r() < 0.7 else 0
        v[f + "nTotal"] = v["n" + f] + int(2 * r())
        v[f + "nIncPSFFlux"] = v["n" + f]
        v[f + "FPSFFlux"] = _f32(flux)
        v[f + "FPSFFluxErr"] = _f32(flux * err)
        v[f + "FPSFMag"] = _f32(mag + rng.gauss(0, 0.02))
        v[f + "FPSFMagErr"] = _f32(err)
        v[f + "FApMag"] = _f32(mag + 0.03)
        v[f + "FApMagErr"] = _f32(err * 1.1)
        v[f + "FKronMag"] = _f32(mag - 0.06)
        v[f + "FKronMagErr"] = _f32(err * 1.2)


def _detections(v, release):
    """Detection rows (dicts) of one object: nDetections of them, bands as ng..ny."""
    rng = rng_for("PS1-det", release, v["objID"])
    r = rng.random
    out = []
    seq = 0
    for f in BANDS:
        mag = v["_mag_" + f]
        for _ in range(v["n" + f]):
            seq += 1
            m = mag + rng.gauss(0, v["_err_" + f] or 0.01)
            flux = 3631.0 * 10 ** (-0.4 * m)
            t = 55000.0 + 1800.0 * r()
            out.append({
                "objID": v["objID"], "detectID": 150_000_000_000_000_000 + int(t * 1e6) * 100
                + v["objID"] % 97, "ippObjID": v["ippObjID"],
                "ippDetectID": 2_000_000_000 + (v["objID"] + seq) % 10 ** 9,
                "filterID": FILTER_ID[f], "surveyID": 0,
                "imageID": 100_000_000 + int(t * 100) % 10 ** 8, "randomDetID": r(),
                "dvoRegionID": v["dvoRegionID"], "obsTime": t,
                "xPos": _f32(10 + 4800 * r()), "yPos": _f32(10 + 4800 * r()),
                "xPosErr": _f32(0.01 + 0.3 * r()), "yPosErr": _f32(0.01 + 0.3 * r()),
                "ra": v["raMean"] + rng.gauss(0, 1.5e-5),
                "dec": v["decMean"] + rng.gauss(0, 1.5e-5),
                "raErr": _f32(0.01 + 0.1 * r()), "decErr": _f32(0.01 + 0.1 * r()),
                "zp": _f32(24.5 + r()), "expTime": _f32(pick_exp(f)),
                "airMass": _f32(1.0 + 0.8 * r()), "psfFlux": _f32(flux),
                "psfFluxErr": _f32(flux * (v["_err_" + f] or 0.01) * 1.5),
                "psfMajorFWHM": _f32(1.0 + r()), "psfMinorFWHM": _f32(0.9 + 0.8 * r()),
                "psfQfPerfect": _f32(0.8 + 0.2 * r()) if r() < 0.9 else None,
                "apFlux": _f32(flux * 0.97), "apFluxErr": _f32(flux * 0.02),
                "kronFlux": _f32(flux * 1.05) if r() < 0.95 else None,
                "kronFluxErr": _f32(flux * 0.03), "sky": _f32(rng.gauss(0, 5)),
                "infoFlag": 0x10000000 if r() < 0.5 else 0, "infoFlag2": 0,
                "infoFlag3": 0x4000 if r() < 0.6 else 0})
    return out


def pick_exp(f):
    return {"g": 43.0, "r": 40.0, "i": 45.0, "z": 30.0, "y": 30.0}[f]


def cone_objects(ra, dec, radius, release):
    """[(distance, values dict)] of PS1 objects within the cone, nearest first."""
    out = []
    for dist, grow in GAIA.cone(ra, dec, radius):
        if grow[G_DEC] < DEC_MIN:
            continue
        out.append((dist, _object(grow[G_RA], grow[G_DEC], grow, release)))
    return out


# ---------------------------------------------------------------- requests


def _params(request):
    """[(key, value-as-text)] from the query string and the body (form or JSON)."""
    pairs = []
    for key, values in parse_qs(request.query, keep_blank_values=True).items():
        pairs += [(key, v) for v in values]
    body = request.body or b""
    if request.method == "POST" and body.strip():
        ctype = (request.header("content-type") or "").lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Unprocessable("Request body is not valid UTF-8.")
        if "json" in ctype or text.lstrip()[:1] == "{":
            try:
                obj = json.loads(text)
            except ValueError as exc:
                raise Unprocessable("Request body is not valid JSON: %s" % exc)
            if not isinstance(obj, dict):
                raise Unprocessable("JSON body must be an object.")
            for key, value in obj.items():
                for item in (value if isinstance(value, list) else [value]):
                    pairs.append((key, _text(item)))
        else:
            for key, values in parse_qs(text, keep_blank_values=True).items():
                pairs += [(key, v) for v in values]
    return pairs


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def _truthy(text, name):
    low = text.strip().lower()
    if low in ("true", "1", "yes", "t"):
        return True
    if low in ("false", "0", "no", "f"):
        return False
    raise Unprocessable("Parameter '%s' must be true or false, not '%s'." % (name, text))


def _number(text, name):
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise Unprocessable("Parameter '%s' must be a number, not '%s'." % (name, text))
    if not math.isfinite(value):
        raise Unprocessable("Parameter '%s' must be finite." % name)
    return value


def _integer(text, name, minimum):
    try:
        number = float(text)
        value = int(number)
        if value != number:
            raise ValueError(text)
    except (TypeError, ValueError, OverflowError):
        raise Unprocessable("Parameter '%s' must be an integer, not '%s'." % (name, text))
    if value < minimum:
        raise Unprocessable("Parameter '%s' must be at least %d." % (name, minimum))
    return value


def _list_items(text):
    """A columns/sort_by value: a JSON list, or a comma-separated list."""
    text = text.strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            items = text.strip("[]").replace('"', "").replace("'", "").split(",")
        return [str(i).strip() for i in items if str(i).strip()]
    return [i.strip() for i in text.split(",") if i.strip()]


OPS = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<", "eq": "==", "min": ">=", "max": "<="}
CONTROL = {"ra", "dec", "radius", "columns", "sort_by", "pagesize", "page", "format",
           "raw", "flatten_response", "include_info"}


class Query:
    """A parsed search."""

    def __init__(self, release, table, suffix, request):
        self.release, self.table = release, table
        self.cols = columns(release, table)
        self.by_lower = {name.lower(): (i, name, kind) for i, (name, kind) in
                         enumerate(self.cols)}
        pairs = _params(request)
        get = {}
        for key, value in pairs:
            get.setdefault(key.strip().lower() if key.strip().lower() in CONTROL else key.strip(),
                           []).append(value)
        self.fmt = self._format(suffix, get, request)
        self.ra = self.dec = self.radius = None
        pos = [get.get(k) for k in ("ra", "dec", "radius")]
        if any(pos):
            if not pos[0] or not pos[1]:
                raise Unprocessable("A cone search needs both 'ra' and 'dec'.")
            if not pos[2]:
                raise Unprocessable("A cone search needs 'radius' (degrees).")  # [INFERRED]
            self.ra = _number(pos[0][0], "ra")
            self.dec = _number(pos[1][0], "dec")
            self.radius = _number(pos[2][0], "radius")
            if not 0 <= self.ra <= 360 or not -90 <= self.dec <= 90:
                raise Unprocessable("ra must be in [0, 360] and dec in [-90, 90].")
            if not 0 < self.radius <= MAX_RADIUS:
                raise Unprocessable("radius must be > 0 and <= %g degrees." % MAX_RADIUS)
        self.selected = []  # (index, name as requested)
        for value in get.get("columns", []):
            for item in _list_items(value):
                self.selected.append((self.column(item)[0], item))
        if not self.selected:
            self.selected = [(i, name) for i, (name, _) in enumerate(self.cols)]
        self.sorts = []
        for value in get.get("sort_by", []):
            for item in _list_items(value):
                desc = False
                low = item.lower()
                if low.startswith("desc.") or low.startswith("asc."):
                    desc = low.startswith("desc.")
                    item = item.split(".", 1)[1]
                self.sorts.append((self.column(item), desc))
        self.pagesize = _integer(get["pagesize"][-1], "pagesize", 1) \
            if get.get("pagesize") else DEFAULT_PAGESIZE
        self.page = _integer(get["page"][-1], "page", 1) if get.get("page") else 1
        self.flatten = _truthy(get["flatten_response"][-1], "flatten_response") \
            if get.get("flatten_response") else True
        self.info = _truthy(get["include_info"][-1], "include_info") \
            if get.get("include_info") else True
        if get.get("raw"):
            _truthy(get["raw"][-1], "raw")  # accepted, no effect [INFERRED]
        self.filters = []  # (column tuple, op, [values])
        for key, values in get.items():
            if key.lower() in CONTROL:
                continue
            name, op = key, "in"
            if "." in key:
                base, _, dec_op = key.rpartition(".")
                if dec_op.lower() in OPS:
                    name, op = base, OPS[dec_op.lower()]
            col = self.column(name)
            texts = []
            for v in values:
                texts += _list_items(v) if op == "in" else [v.strip()]
            if not texts:
                raise Unprocessable("No value given for '%s'." % key)
            self.filters.append((col, op, [self.coerce(col, t, key) for t in texts]))
        if self.ra is None and not self.objid_lookup():
            # [INFERRED] the real service searches the whole table; the sandbox's sky
            # has no finite all-sky list, so it needs a position (or objID values).
            raise Unprocessable("The sandbox needs 'ra', 'dec' and 'radius' (or objID "
                                "values) to search Pan-STARRS.")

    def _format(self, suffix, get, request):
        fmt = suffix
        if fmt is None and get.get("format"):
            fmt = get["format"][-1].strip().lower()
        if fmt is None:
            accept = (request.header("accept") or "").lower()
            fmt = "csv" if "text/csv" in accept and "json" not in accept else "json"
        if fmt not in ("json", "csv"):
            # catalogs.mast also offers xml/votable; this sandbox does not [INFERRED].
            raise Unprocessable("Format '%s' is not supported by the sandbox (json, csv)."
                                % fmt)
        return fmt

    def column(self, name):
        found = self.by_lower.get(name.strip().lower())
        if found is None:
            raise Unprocessable("Column '%s' does not exist in %s/%s." % (
                name, self.release, self.table))
        return found

    def coerce(self, col, text, key):
        kind = col[2]
        if kind == "char":
            return text.lower()
        try:
            if kind in ("long", "int", "short", "unsignedByte"):
                try:
                    return int(text)
                except ValueError:
                    return float(text)
            return float(text)
        except ValueError:
            raise Unprocessable("Value '%s' of '%s' is not a number." % (text, key))

    def objid_lookup(self):
        """Positions of the objIDs an equality filter names (search without a cone)."""
        for col, op, values in self.filters:
            if col[1] == "objID" and op in ("in", "==") and all(isinstance(v, int)
                                                                for v in values):
                return [position_of(v) for v in values]
        return None

    # -- rows -------------------------------------------------------------

    def objects(self):
        if self.ra is not None:
            return cone_objects(self.ra, self.dec, self.radius, self.release)
        seen, out = set(), []
        for ra, dec in self.objid_lookup():
            if not (0 <= ra < 360 and -90 <= dec <= 90):
                continue
            for dist, v in cone_objects(ra, dec, 1e-4, self.release):
                if v["objID"] not in seen:
                    seen.add(v["objID"])
                    out.append((0.0, v))
        return out

    def rows(self):
        names = [name for name, _ in self.cols]
        records = []
        for _, v in self.objects():
            if self.table == "detection":
                records += _detections(v, self.release)
            elif self.table in ("stack", "forced_mean") and not v["_stacked"]:
                continue
            else:
                records.append(v)
            if len(records) > MAX_ROWS:
                raise Unprocessable("The sandbox refuses results above %d rows." % MAX_ROWS)
        rows = [[rec.get(n) for n in names] for rec in records]
        rows = [row for row in rows if all(_passes(row[c[0]], op, vals)
                                           for c, op, vals in self.filters)]
        for (index, _, _), desc in reversed(self.sorts):
            rows.sort(key=lambda row: _sort_key(row[index]), reverse=desc)
        return rows


def _passes(value, op, values):
    if value is None:
        return False
    if isinstance(value, str):
        value = value.lower()
        if any(not isinstance(v, str) for v in values):
            return False
    elif any(isinstance(v, str) for v in values):
        return False
    if op == "in" or op == "==":
        return any(value == v for v in values)
    v = values[0]
    return {">=": value >= v, ">": value > v, "<=": value <= v, "<": value < v}[op]


def _sort_key(value):
    # nulls first, then numbers, then text [INFERRED]
    if value is None:
        return (0, 0, "")
    if isinstance(value, str):
        return (2, 0, value)
    return (1, value, "")


# ---------------------------------------------------------------- rendering


def _json_value(value, kind):
    if value is None:
        return None
    if kind == "long":
        return str(value)  # the recording sends 64-bit ids as JSON strings
    return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    if any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def render(query, rows):
    start = (query.page - 1) * query.pagesize
    page = rows[start:start + query.pagesize]
    sel = query.selected
    kinds = [query.cols[i][1] for i, _ in sel]
    if query.fmt == "csv":
        lines = [",".join(_csv_value(name) for _, name in sel)]
        for row in page:
            lines.append(",".join(_csv_value(row[i]) for i, _ in sel))
        # [INFERRED] line ends and quoting of the real CSV
        return Response(200, ("\r\n".join(lines) + "\r\n").encode("utf-8"), CSV_TYPE)
    out = {}
    if query.info:
        described = {c["name"]: c["description"]
                     for c in metadata(query.release, query.table)}
        # the recording's info says STRING / NUMBER (not the metadata's SQL types)
        out["info"] = [{"name": name, "type": query.cols[i][1],
                        "db_type": "STRING" if query.cols[i][1] == "char" else "NUMBER",
                        "description": described[query.cols[i][0]]}
                       for i, name in sel]
    if query.flatten:
        out["data"] = [[_json_value(row[i], k) for (i, _), k in zip(sel, kinds)]
                       for row in page]
    else:  # [INFERRED] rows as objects keyed by the requested names
        out["data"] = [{name: _json_value(row[i], k) for (i, name), k in zip(sel, kinds)}
                       for row in page]
    # [INFERRED] compact JSON (the recording was re-serialized with indent 4)
    body = json.dumps(out, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return Response(200, body.encode("utf-8"), JSON_TYPE)


def recorded_match(query):
    """Whether this is the request panstarrs.json answers: dr2/mean, JSON, the six
    recorded columns in their order, a cone of radius ~0.01 deg at (5.97754, -32.53617)
    (inferred from the rows), page 1, no sort, filters the recorded rows pass."""
    if (query.release, query.table, query.fmt) != ("dr2", "mean", "json") or query.ra is None:
        return False
    if tuple(name.lower() for _, name in query.selected) != RECORDED_COLUMNS:
        return False
    if angular_distance(query.ra, query.dec, *RECORDED_CENTRE) > 0.0005:
        return False
    if not 0.0099 <= query.radius <= 0.0105 or query.page != 1 or query.pagesize < 35:
        return False
    if query.sorts or not query.flatten or not query.info:
        return False
    data = fixtures.parsed("panstarrs.json")["data"]
    position = {name.lower(): k for k, name in enumerate(RECORDED_COLUMNS)}
    for col, op, values in query.filters:
        k = position.get(col[1].lower())
        if k is None:
            continue  # a column the recording lacks (e.g. nDetections): not checked
        for row in data:
            value = int(row[k]) if col[2] == "long" else row[k]
            if not _passes(value, op, values):
                return False
    return True


# ---------------------------------------------------------------- the route


def _split(path):
    """(release, table, suffix or None, is_metadata) or raise Unprocessable / None."""
    rest = path[len(PREFIX):].strip("/")
    parts = rest.split("/")
    meta = False
    if len(parts) == 3 and parts[2] in ("metadata", "metadata.json"):
        meta = True
        parts = parts[:2]
    if len(parts) != 2:
        return None
    release, table = parts[0].lower(), parts[1]
    suffix = None
    for ext in ("json", "csv", "xml", "votable"):
        if table.lower().endswith("." + ext):
            table, suffix = table[:-len(ext) - 1], ext
    if meta and suffix:
        return None
    table = table.lower()
    if release not in TABLES:
        raise Unprocessable("Unknown release '%s' for panstarrs (dr1, dr2)." % parts[0])
    if table not in TABLES[release]:
        raise Unprocessable("Unknown table '%s' for panstarrs %s (%s)." % (
            table, release, ", ".join(TABLES[release])))
    return release, table, suffix, meta


def handle(request):
    """The route for everything under /api/v0.1/panstarrs/."""
    try:
        split = _split(request.path)
        if split is None:
            return _error(404, "Not Found")
        release, table, suffix, meta = split
        if meta:
            if request.method not in ("GET", "HEAD"):
                return _error(405, "Method Not Allowed")
            if (release, table) == ("dr2", "mean"):
                body = fixtures.raw("panstarrs_columns.json")
            else:
                body = json.dumps(metadata(release, table), indent=4).encode("utf-8")
            return Response(200, b"" if request.method == "HEAD" else body, JSON_TYPE,
                            length=len(body))
        if request.method not in ("GET", "POST"):
            return _error(405, "Method Not Allowed")
        query = Query(release, table, suffix, request)
        if recorded_match(query):
            return Response(200, fixtures.raw("panstarrs.json"), JSON_TYPE)
        return render(query, query.rows())
    except Unprocessable as exc:
        return _error(422, str(exc))
