"""The cutout services: TESScut, Zcut and HAPcut (mast-protocol.md section 8).

* ``/tesscut/api/v0.1/sector``, ``/astrocut``, ``/moving_target/sector``,
  ``/moving_target/astrocut``
* ``/zcut/api/v0.1/survey``, ``/astrocut``
* ``/hapcut/api/v0.1/astrocut``

Every endpoint takes its parameters from the query string and/or a
form-encoded POST body (astroquery uses both, section 8).  The recorded
requests get the recorded bytes; every other request gets an answer derived
only from its parameters, so the same request always gives the same bytes.

The sky model behind the generated answers is the sandbox's own
[INFERRED: not TESS's real pointings]:

* TESS sectors: ecliptic coordinates (``sky.ecliptic``).  The four cameras
  are 24-degree bands of ecliptic latitude starting 6 degrees off the
  ecliptic (camera 1: 6..30, 2: 30..54, 3: 54..78, 4: 78..90, either
  hemisphere).  ``|beta| < 6`` (the ecliptic band) is covered by no sector.
  The southern sky is seen in sectors 1-13 and 27-39, the northern in 14-26
  and 40-52; each sector spans 360/13 degrees of ecliptic longitude
  (sector 1 centred on 315.8); cameras 1-3 see a longitude in one sector per
  year, camera 4 (around the ecliptic pole) in all 13.  The CCD is the
  quadrant of the camera field the position falls in.  A radius adds the
  sectors seen from four points at that distance (in latitude and
  longitude) from the centre.
* Zcut surveys: a few deep fields (GOODS-N/CANDELS, GOODS-S, COSMOS, UDS,
  EGS) with centres and radii; anywhere else has no survey.
* HAPcut: every position has data.

The FITS files inside generated zips are the recorded files' bytes (the TESS
target-pixel file for TESScut, the CANDELS cutout for Zcut and HAPcut) under
a new name: their headers therefore describe the recorded position, not the
requested one.
"""

import functools
import io
import math
import struct
import threading
import time
import weakref
import zipfile
import zlib
from collections import deque
from urllib.parse import parse_qs

from . import fixtures, sky
from .response import Response, json_response, text_response

JSON_TYPE = "application/json"
ZIP_TYPE = "application/zip"

TESS_ZIP = "astrocut_107.27_-70.0_5x5.zip"
ZCUT_FITS_ZIP = "astrocut_189.49206_62.20615_100x100px_f.zip"
ZCUT_JPG_ZIP = "astrocut_189.49206_62.20615_100x100px.zip"

# Recorded requests (fixtures README and astroquery's tests, which send them).
RECORDED_SECTOR_POS = (324.24368, -27.01029)     # -> tess_sector.json
RECORDED_TESS_CUT = (107.27, -70.0, 5.0, 5.0)    # ra, dec, x, y (px) -> TESS_ZIP
RECORDED_ZCUT_POS = (189.49206, 62.20615)        # survey -> zcut_survey.json
RECORDED_ZCUT_SIZE = (100.0, 100.0)              # x, y (px) -> the two zcut zips

# A fixed timestamp for generated zip entries (same request, same bytes).
ZIP_DATE = (2020, 1, 1, 0, 0, 0)

TESS_PIXEL_ARCSEC = 21.0
ZCUT_PIXEL_ARCSEC = 0.03   # [INFERRED] 30 mas, the finest CANDELS mosaic


class CutoutError(Exception):
    """A request the cutout service refuses: HTTP 400 with a JSON msg."""


# ---------------------------------------------------------------- parameters


def params_of(request):
    """The request's parameters: the query string, then the form body on top."""
    values = {k: v[0] for k, v in parse_qs(request.query, keep_blank_values=True).items()}
    if request.method == "POST" and request.body:
        values.update({k: v[0] for k, v in request.form().items()})
    return values


def number(params, name, default=None):
    text = params.get(name)
    if text is None or text.strip() == "":
        if default is not None:
            return default
        raise CutoutError("Missing required parameter: %s" % name)
    try:
        value = float(text)
    except ValueError:
        raise CutoutError("Invalid %s: %r is not a number" % (name, text))
    if not math.isfinite(value):
        raise CutoutError("Invalid %s: %r" % (name, text))
    return value


def position(params):
    ra, dec = number(params, "ra"), number(params, "dec")
    if not -90.0 <= dec <= 90.0:
        raise CutoutError("Invalid dec: %r (must be between -90 and 90)" % params["dec"])
    return ra % 360.0, dec


def radius_deg(params, pixel_arcsec):
    """``radius`` with an optional unit suffix d (default), s, m or px."""
    text = (params.get("radius") or "0").strip().lower()
    scale = {"d": 1.0, "s": 1 / 3600.0, "m": 1 / 60.0, "px": pixel_arcsec / 3600.0}
    unit = "d"
    for suffix in ("px", "d", "s", "m"):
        if text.endswith(suffix):
            unit, text = suffix, text[:-len(suffix)].strip()
            break
    try:
        value = float(text)
    except ValueError:
        raise CutoutError("Invalid radius %r: expected a number with an optional unit "
                          "d (degrees, default), s (arcsec), m (arcmin) or px (pixels)"
                          % params.get("radius"))
    if not math.isfinite(value) or value < 0:
        raise CutoutError("Invalid radius %r" % params.get("radius"))
    return min(value * scale[unit], 30.0)


def cut_size(params):
    """(x, y, units, x text, y text) of a cutout request."""
    units = (params.get("units") or "px").strip().lower()
    if units not in ("px", "d"):
        raise CutoutError("Invalid units %r: must be px or d" % params.get("units"))
    x = number(params, "x")
    y = number(params, "y", default=x)
    if x <= 0 or y <= 0:
        raise CutoutError("Invalid cutout size: x and y must be positive")
    return x, y, units, _size_text(x), _size_text(y)


def _size_text(value):
    return str(int(value)) if value == int(value) else repr(value)


def near(a, b, tolerance=1e-6):
    return abs(a - b) <= tolerance


def check_method(request):
    if request.method not in ("GET", "POST"):
        return text_response(405, "Method %s not allowed: use GET or POST." % request.method)
    return None


def error(msg, status=400):
    return json_response({"msg": msg}, status)


def zip_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    """A deterministic zip of (name, bytes) entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=1 if compression else None)
    return buffer.getvalue()


def zip_response(body, filename):
    return Response(200, body, ZIP_TYPE,
                    [("Content-Disposition", "attachment; filename=%s" % filename)])


@functools.lru_cache(maxsize=None)
def recorded_member(zip_name):
    """The bytes of the (first) file inside a recorded zip."""
    with zipfile.ZipFile(io.BytesIO(fixtures.raw(zip_name))) as archive:
        return archive.read(archive.namelist()[0])


# ---------------------------------------------------------------- rate limit


class RateLimiter:
    """At most ``limit`` admitted requests in any ``window`` seconds.

    Only admitted requests count [INFERRED]: a client retrying too fast keeps
    getting 503 until its earlier requests are a window old.
    """

    def __init__(self, limit=5, window=1.0):
        self.limit = limit
        self.window = window
        self.times = deque()
        self.lock = threading.Lock()

    def admit(self):
        now = time.monotonic()
        with self.lock:
            while self.times and now - self.times[0] >= self.window:
                self.times.popleft()
            if len(self.times) >= self.limit:
                return False
            self.times.append(now)
            return True


_LIMITERS = weakref.WeakKeyDictionary()
_LIMITERS_LOCK = threading.Lock()

RATE_LIMIT_TEXT = ("503 Service Temporarily Unavailable: TESScut allows no more than 5 "
                   "requests per second; wait and try again.\n")


def rate_limited(request):
    """The 503 answer when the TESScut rate limit applies, else None.

    The ``tesscut_rate_limit`` setting (``/__sandbox/settings``, 1 = on, the
    default; 0 = off) switches it.
    """
    if not request.state.settings().get("tesscut_rate_limit", 1):
        return None
    with _LIMITERS_LOCK:
        limiter = _LIMITERS.get(request.state)
        if limiter is None:
            limiter = _LIMITERS[request.state] = RateLimiter()
    if limiter.admit():
        return None
    return Response(503, RATE_LIMIT_TEXT.encode("utf-8"), "text/plain; charset=utf-8",
                    [("Retry-After", "1")])


# ---------------------------------------------------------------- TESS sectors

SECTOR_WIDTH = 360.0 / 13
SECTOR1_LON = 315.8
CAMERA_BANDS = ((6.0, 30.0, 1), (30.0, 54.0, 2), (54.0, 78.0, 3), (78.0, 90.01, 4))


def _field(lon, beta):
    """(sector, camera, ccd) triples that see one point (the model above)."""
    lat = abs(beta)
    camera = None
    for lo, hi, cam in CAMERA_BANDS:
        if lo <= lat < hi:
            camera, band_centre = cam, (lo + hi) / 2.0
    if camera is None:
        return []
    first_sectors = (1, 27) if beta < 0 else (14, 40)
    base_lon = SECTOR1_LON if beta < 0 else (SECTOR1_LON + 180.0) % 360.0
    rel = (lon - base_lon + SECTOR_WIDTH / 2.0) % 360.0
    k = int(rel // SECTOR_WIDTH) % 13
    found = []
    if camera < 4:
        offset = rel - (k + 0.5) * SECTOR_WIDTH   # longitude from the sector centre
        ccd = 1 + (2 if lat < band_centre else 0) + (1 if offset < 0 else 0)
        for first in first_sectors:
            found.append((first + k, camera, ccd))
    else:
        for first in first_sectors:
            for j in range(13):
                centre = (base_lon + j * SECTOR_WIDTH) % 360.0
                ccd = 1 + int(((lon - centre) % 360.0) // 90.0)
                found.append((first + j, camera, ccd))
    return found


def tess_sectors(ra, dec, radius=0.0):
    """Sorted (sector, camera, ccd) triples covering a cone."""
    lon, beta = sky.ecliptic(ra, dec)
    points = [(lon, beta)]
    if radius > 0:
        step_lon = radius / max(math.cos(math.radians(beta)), 1e-3)
        points += [(lon, max(-90.0, beta - radius)), (lon, min(90.0, beta + radius)),
                   ((lon - step_lon) % 360.0, beta), ((lon + step_lon) % 360.0, beta)]
    found = set()
    for p_lon, p_beta in points:
        found.update(_field(p_lon, p_beta))
    return sorted(found)


def sector_entry(sector, camera, ccd):
    return {"sectorName": "tess-s%04d-%d-%d" % (sector, camera, ccd),
            "sector": "%04d" % sector, "camera": str(camera), "ccd": str(ccd)}


def check_product(params):
    product = params.get("product")
    if product is not None and product.strip().upper() != "SPOC":
        raise CutoutError("Invalid product %r: the only product is SPOC" % product)


def tess_sector(request):
    params = params_of(request)
    check_product(params)
    ra, dec = position(params)
    radius = radius_deg(params, TESS_PIXEL_ARCSEC)
    if near(ra, RECORDED_SECTOR_POS[0], 1e-4) and near(dec, RECORDED_SECTOR_POS[1], 1e-4) \
            and radius <= 0.2:
        return Response(200, fixtures.raw("tess_sector.json"), JSON_TYPE)
    return json_response({"results": [sector_entry(*t) for t in tess_sectors(ra, dec, radius)]})


def _wanted_sector(params):
    text = params.get("sector")
    if text is None or text.strip() == "":
        return None
    try:
        return int(text)
    except ValueError:
        raise CutoutError("Invalid sector %r" % text)


def tess_astrocut(request):
    params = params_of(request)
    check_product(params)
    ra, dec = position(params)
    x, y, units, xt, yt = cut_size(params)
    sector = _wanted_sector(params)
    if near(ra, RECORDED_TESS_CUT[0]) and near(dec, RECORDED_TESS_CUT[1]) and units == "px" \
            and (x, y) == RECORDED_TESS_CUT[2:] and sector in (None, 1):
        return zip_response(fixtures.raw(TESS_ZIP), TESS_ZIP)
    triples = [t for t in tess_sectors(ra, dec) if sector is None or t[0] == sector]
    if not triples:
        where = "" if sector is None else " in sector %d" % sector
        return json_response({"msg": "No TESS data found for ra=%s dec=%s%s."
                              % (params["ra"], params["dec"], where)})
    ra_text, dec_text = repr(float(params["ra"])), repr(float(params["dec"]))
    # The content is the recorded TPF (tess-s0001-4-3 at 107.27 -70.0) renamed.
    fits = recorded_member(TESS_ZIP)
    entries = [("tess-s%04d-%d-%d_%s_%s_%sx%s_astrocut.fits"
                % (s, cam, ccd, ra_text, dec_text, xt, yt), fits) for s, cam, ccd in triples]
    return zip_response(zip_bytes(entries),
                        "astrocut_%s_%s_%sx%s.zip" % (ra_text, dec_text, xt, yt))


# ---------------------------------------------------------------- moving targets

# [INFERRED] The real service asks JPL Horizons; the sandbox knows a few names.
MOVING_TARGETS = {
    "ceres": ("smallbody", [(29, 1, 1), (30, 1, 2), (31, 1, 2)]),
    "eleonora": ("smallbody", [(1, 1, 3), (2, 1, 4)]),
    "pallas": ("smallbody", [(5, 2, 1)]),
    "jupiter": ("majorbody", [(17, 1, 1), (18, 1, 2)]),
    "mars": ("majorbody", [(10, 1, 3)]),
}


def _obj_type(params):
    text = (params.get("obj_type") or "smallbody").strip().lower().replace("_", "")
    if text not in ("smallbody", "majorbody"):
        raise CutoutError("Invalid obj_type %r: must be majorbody or smallbody"
                          % params.get("obj_type"))
    return text


def moving_target(params):
    obj_id = (params.get("obj_id") or "").strip()
    if not obj_id:
        raise CutoutError("Missing required parameter: obj_id")
    kind = _obj_type(params)
    known = MOVING_TARGETS.get(" ".join(obj_id.lower().split()))
    if known is None or known[0] != kind:
        raise CutoutError("Could not find a %s named %r" % (kind, obj_id))
    return obj_id, known[1]


def tess_moving_sector(request):
    params = params_of(request)
    check_product(params)
    _, triples = moving_target(params)
    return json_response({"results": [sector_entry(*t) for t in triples]})


def tess_moving_astrocut(request):
    params = params_of(request)
    check_product(params)
    obj_id, triples = moving_target(params)
    _, _, _, xt, yt = cut_size(params)
    sector = _wanted_sector(params)
    triples = [t for t in triples if sector is None or t[0] == sector]
    if not triples:
        return json_response({"msg": "No TESS data found for %s in sector %s."
                              % (obj_id, params.get("sector"))})
    name = "_".join(obj_id.split())
    # The content is the recorded TPF (a fixed target, not a moving one) renamed.
    fits = recorded_member(TESS_ZIP)
    entries = [("tess-s%04d-%d-%d_%s_%sx%s_astrocut.fits" % (s, cam, ccd, name, xt, yt), fits)
               for s, cam, ccd in triples]
    return zip_response(zip_bytes(entries), "astrocut_%s_%sx%s.zip" % (name, xt, yt))


TESS_PATHS = {
    "sector": tess_sector,
    "astrocut": tess_astrocut,
    "moving_target/sector": tess_moving_sector,
    "moving_target/astrocut": tess_moving_astrocut,
}


def _family(request, prefix, paths, limit=False):
    rest = request.path[len(prefix):].strip("/")
    handler = paths.get(rest)
    if handler is None:
        return text_response(404, "Not found: %s" % request.path)
    refused = check_method(request)
    if refused is not None:
        return refused
    if limit:
        busy = rate_limited(request)
        if busy is not None:
            return busy
    try:
        return handler(request)
    except CutoutError as exc:
        return error(str(exc))


def tesscut(request):
    """Everything under /tesscut/ (rate-limited even when the path is unknown)."""
    if request.path.startswith("/tesscut/api/v0.1/"):
        return _family(request, "/tesscut/api/v0.1/", TESS_PATHS, limit=True)
    busy = rate_limited(request)
    return busy or text_response(404, "Not found: %s" % request.path)


# ---------------------------------------------------------------- Zcut

# (name, ra, dec, radius deg, surveys in answer order, default survey, filters)
ZCUT_FIELDS = (
    ("goods-n", 189.228, 62.238, 0.30, ["candels_gn_60mas", "candels_gn_30mas", "goods_north"],
     "candels_gn_30mas", ["f606w", "f814w", "f850lp"]),
    ("goods-s", 53.122, -27.805, 0.30, ["candels_gs_60mas", "candels_gs_30mas", "goods_south"],
     "candels_gs_30mas", ["f606w", "f814w", "f850lp"]),
    ("cosmos", 150.12, 2.21, 0.20, ["candels_cosmos_60mas", "candels_cosmos_30mas"],
     "candels_cosmos_30mas", ["f606w", "f814w"]),
    ("uds", 34.41, -5.20, 0.20, ["candels_uds_60mas", "candels_uds_30mas"],
     "candels_uds_30mas", ["f606w", "f814w"]),
    ("egs", 214.83, 52.82, 0.25, ["candels_egs_60mas", "candels_egs_30mas"],
     "candels_egs_30mas", ["f606w", "f814w"]),
)
STRETCHES = ("asinh", "sinh", "sqrt", "log", "linear")
FORMATS = ("fits", "jpg", "png")


def zcut_field(ra, dec, radius=0.0):
    for field in ZCUT_FIELDS:
        if sky.angular_distance(ra, dec, field[1], field[2]) <= field[3] + radius:
            return field
    return None


def zcut_survey(request):
    params = params_of(request)
    ra, dec = position(params)
    radius = radius_deg(params, ZCUT_PIXEL_ARCSEC)
    if near(ra, RECORDED_ZCUT_POS[0], 1e-4) and near(dec, RECORDED_ZCUT_POS[1], 1e-4):
        return Response(200, fixtures.raw("zcut_survey.json"), JSON_TYPE)
    surveys = []
    for field in ZCUT_FIELDS:
        if sky.angular_distance(ra, dec, field[1], field[2]) <= field[3] + radius:
            surveys += [s for s in field[4] if s not in surveys]
    return json_response({"surveys": surveys})


def _image_options(params):
    fmt = (params.get("cutout_format") or "fits").strip().lower()
    if fmt == "jpeg":
        fmt = "jpg"
    if fmt not in FORMATS:
        raise CutoutError("Invalid cutout_format %r: must be one of fits, jpg, png"
                          % params.get("cutout_format"))
    stretch = params.get("stretch")
    if stretch is not None and stretch.strip().lower() not in STRETCHES:
        raise CutoutError("Invalid stretch %r: must be one of %s"
                          % (stretch, ", ".join(STRETCHES)))
    for name in ("minmax_percent", "minmax_value"):
        if params.get(name) is not None:
            parts = params[name].strip("[]() ").split(",")
            try:
                if len(parts) != 2:
                    raise ValueError
                [float(p) for p in parts]
            except ValueError:
                raise CutoutError("Invalid %s %r: expected two numbers 'min,max'"
                                  % (name, params[name]))
    invert = (params.get("invert") or "false").strip().lower()
    if invert not in ("true", "false", "1", "0", "yes", "no", ""):
        raise CutoutError("Invalid invert %r: expected true or false" % params["invert"])
    image_params = any(params.get(n) is not None
                       for n in ("stretch", "minmax_percent", "minmax_value", "invert"))
    return fmt, invert in ("true", "1", "yes"), image_params


def zcut_astrocut(request):
    params = params_of(request)
    ra, dec = position(params)
    x, y, units, _, _ = cut_size(params)
    fmt, invert, image_params = _image_options(params)
    survey = (params.get("survey") or "").strip() or None
    recorded = (near(ra, RECORDED_ZCUT_POS[0]) and near(dec, RECORDED_ZCUT_POS[1])
                and units == "px" and (x, y) == RECORDED_ZCUT_SIZE)
    if recorded and fmt == "fits" and survey in (None, "candels_gn_30mas"):
        return zip_response(fixtures.raw(ZCUT_FITS_ZIP), ZCUT_FITS_ZIP)
    if recorded and fmt == "jpg" and survey in (None, "candels_gn_30mas") and not image_params:
        return zip_response(fixtures.raw(ZCUT_JPG_ZIP), ZCUT_JPG_ZIP)
    field = zcut_field(ra, dec)
    if field is None:
        return json_response({"msg": "No survey data found at ra=%s dec=%s."
                              % (params["ra"], params["dec"])})
    if survey is None:
        survey = field[5]
    elif survey not in field[4]:
        return json_response({"msg": "Survey %s has no data at ra=%s dec=%s."
                              % (survey, params["ra"], params["dec"])})
    size = ("%.1fpix-x-%.1fpix" % (x, y)) if units == "px" else ("%gdeg-x-%gdeg" % (x, y))
    where = "%.6f_%.6f_%s" % (ra, dec, size)
    zip_name = "astrocut_%s_%s_%sx%s%s.zip" % (repr(float(params["ra"])),
                                              repr(float(params["dec"])),
                                              _size_text(x), _size_text(y), units)
    if fmt == "fits":
        # The content is the recorded CANDELS cutout (189.49206 62.20615) renamed.
        entries = [("%s_%s_astrocut.fits" % (survey, where), recorded_member(ZCUT_FITS_ZIP))]
        return zip_response(zip_bytes(entries, zipfile.ZIP_STORED), zip_name)
    entries = []
    for band in field[6]:
        seed = sky.seed_of("zcut", survey, band, where)
        image = (tiny_png if fmt == "png" else tiny_jpeg)(seed, invert)
        entries.append(("hlsp_%s_%s_%s_astrocut.%s" % (survey, band, where, fmt), image))
    return zip_response(zip_bytes(entries, zipfile.ZIP_STORED), zip_name)


def zcut(request):
    return _family(request, "/zcut/api/v0.1/",
                   {"survey": zcut_survey, "astrocut": zcut_astrocut})


# ---------------------------------------------------------------- HAPcut


def hapcut_astrocut(request):
    params = params_of(request)
    ra, dec = position(params)
    x, y, units, xt, yt = cut_size(params)
    ra_text, dec_text = repr(float(params["ra"])), repr(float(params["dec"]))
    # [INFERRED name] The content is the recorded Zcut CANDELS FITS (an HST
    # mosaic cutout at 189.49206 62.20615) renamed: HAPcut's real files differ.
    name = "hst_cutout_skycell_%s_%s_%sx%s%s_astrocut.fits" % (ra_text, dec_text, xt, yt, units)
    body = zip_bytes([(name, recorded_member(ZCUT_FITS_ZIP))], zipfile.ZIP_STORED)
    return zip_response(body, "astrocut_%s_%s_%sx%s%s.zip" % (ra_text, dec_text, xt, yt, units))


def hapcut(request):
    return _family(request, "/hapcut/api/v0.1/", {"astrocut": hapcut_astrocut})


# ---------------------------------------------------------------- tiny images

IMAGE_SIDE = 16


def _levels(seed, invert):
    """Gray levels of the four 8x8 blocks of a 16x16 image (from the seed)."""
    levels = [(seed >> (8 * i)) & 0xFF for i in range(4)]
    return [255 - v for v in levels] if invert else levels


def tiny_png(seed, invert=False):
    """A valid 16x16 8-bit grayscale PNG: four flat quadrants."""
    levels = _levels(seed, invert)
    rows = b""
    for r in range(IMAGE_SIDE):
        top = 0 if r < 8 else 2
        rows += b"\x00" + bytes([levels[top]] * 8 + [levels[top + 1]] * 8)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", IMAGE_SIDE, IMAGE_SIDE, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def tiny_jpeg(seed, invert=False):
    """A valid 16x16 grayscale baseline JPEG: four flat 8x8 blocks.

    Each block has only a DC coefficient, so the entropy-coded data is one DC
    difference (category + magnitude bits) and an end-of-block per block.
    Quantisation is 1 everywhere; the DC Huffman table gives categories 0..11
    4-bit codes, the AC table has a single symbol (EOB, 0x00) with code '0'.
    """
    levels = _levels(seed, invert)
    # blocks in scan order: top-left, top-right, bottom-left, bottom-right

    def segment(marker, data):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(data) + 2) + data
    out = b"\xff\xd8"
    out += segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    out += segment(0xDB, b"\x00" + b"\x01" * 64)
    out += segment(0xC0, struct.pack(">BHHB", 8, IMAGE_SIDE, IMAGE_SIDE, 1) + b"\x01\x11\x00")
    dc_counts = bytes([0, 0, 0, 12] + [0] * 12)
    out += segment(0xC4, b"\x00" + dc_counts + bytes(range(12)))
    ac_counts = bytes([1] + [0] * 15)
    out += segment(0xC4, b"\x10" + ac_counts + b"\x00")
    out += segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    bits = []
    previous = 0
    for level in levels:
        dc = 8 * (level - 128)          # FDCT DC of a flat block, quantiser 1
        diff, previous = dc - previous, dc
        category = abs(diff).bit_length()
        bits += [int(b) for b in format(category, "04b")]   # code = category, 4 bits
        if category:
            magnitude = diff if diff > 0 else diff + (1 << category) - 1
            bits += [int(b) for b in format(magnitude, "0%db" % category)]
        bits.append(0)                                      # EOB
    bits += [1] * (-len(bits) % 8)
    data = bytearray()
    for i in range(0, len(bits), 8):
        byte = int("".join(map(str, bits[i:i + 8])), 2)
        data.append(byte)
        if byte == 0xFF:
            data.append(0)
    return out + bytes(data) + b"\xff\xd9"
