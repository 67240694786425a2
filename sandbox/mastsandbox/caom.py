"""Synthetic CAOM observations (Mast.Caom.*) with traceable ids.

Every synthetic observation has ``obsid = 2000000000 + n`` where ``n``
encodes the tier, sky cell and position in the cell that generated it, and
its ``obs_id`` (and so every product file name) encodes ``n`` too.  This lets
Mast.Caom.Products rebuild an observation from its obsid, and the download
endpoint rebuild a product (and its size and data rights) from its URI,
without keeping any state: the same ids work after a restart.

Columns follow caom.json.  ``distance`` is the great-circle distance from
the cone centre to (s_ra, s_dec) in arcseconds; real MAST measures it to the
footprint (caom.json has 0 for a footprint containing the centre), which
this sandbox does not model [INFERRED].
"""

import math
import re

from .catalog import Catalog, Tier, base36, pick
from .sky import DEG
from .table import fmt_fixed, fmt_int

OBSID_BASE = 2_000_000_000
LOCAL_PER_CELL = 1024
ALLSKY_BASE = 700_000_000
ALLSKY_PER_CELL = 64

F5 = fmt_fixed(5)

# collection -> (weight, [(instrument, footprint radius deg, [filters], product type, em range nm)])
COLLECTIONS = {
    "HST": (35, [("WFC3/UVIS", 0.022, ["F275W", "F336W", "F438W", "F555W", "F606W", "F814W"],
                  "image", "I"),
                 ("ACS/WFC", 0.028, ["F435W", "F475W", "F606W", "F775W", "F814W"], "image", "J"),
                 ("WFC3/IR", 0.018, ["F105W", "F110W", "F125W", "F140W", "F160W"], "image", "I"),
                 ("STIS/CCD", 0.007, ["G430L", "G750L", "MIRVIS"], "spectrum", "O"),
                 ("COS/FUV", 0.0007, ["G130M", "G160M"], "spectrum", "L")]),
    "HLA": (15, [("WFC3/UVIS", 0.022, ["F275W", "F336W", "F606W", "F814W"], "image", "uvis"),
                 ("ACS/WFC", 0.028, ["F435W", "F606W", "F814W"], "image", "wfc"),
                 ("WFPC2", 0.02, ["F555W", "F606W", "F814W"], "image", "wf")]),
    "GALEX": (25, [("GALEX", 0.6, ["NUV", "FUV"], "image", "")]),
    "JWST": (12, [("NIRCAM/IMAGE", 0.04, ["F090W", "F150W", "F200W", "F277W", "F444W"],
                   "image", "nircam"),
                  ("MIRI/IMAGE", 0.015, ["F560W", "F770W", "F1000W", "F2100W"], "image", "miri"),
                  ("NIRSPEC/IFU", 0.0008, ["G140H;F100LP", "G235H;F170LP"], "cube", "nirspec"),
                  ("NIRISS/SOSS", 0.01, ["CLEAR;GR700XD"], "spectrum", "niriss")]),
    "TESS": (13, [("Photometer", 0.03, ["TESS"], "timeseries", "")]),
}

# band centre (nm) per filter name, to fill em_min/em_max
_FILTER_NM = {"F275W": 275, "F336W": 336, "F438W": 438, "F555W": 555, "F606W": 606,
              "F814W": 814, "F435W": 435, "F475W": 475, "F775W": 775, "F105W": 1050,
              "F110W": 1100, "F125W": 1250, "F140W": 1400, "F160W": 1600, "G430L": 430,
              "G750L": 750, "MIRVIS": 600, "G130M": 130, "G160M": 160, "NUV": 230, "FUV": 150,
              "F090W": 900, "F150W": 1500, "F200W": 2000, "F277W": 2770, "F444W": 4440,
              "F560W": 5600, "F770W": 7700, "F1000W": 10000, "F2100W": 21000,
              "G140H;F100LP": 1400, "G235H;F170LP": 2350, "CLEAR;GR700XD": 900, "TESS": 800}

_PIS = ("Osten", "Griffiths", "Groth", "Smith", "Kirshner", "Dalcanton", "Riess", "Bianchi",
        "Ricker", "Rieke", "Gordon", "Kalirai", "Sahu", "Lee", "Martin")
_TITLES = ("Star formation in nearby galaxies", "Resolved stellar populations survey",
           "Cepheid distances to SN Ia hosts", "Ultraviolet survey of the sky",
           "Deep field imaging", "Globular cluster proper motions",
           "Exoplanet transit photometry", "Time-domain monitoring of variable stars")
_CLASSES = ("GALAXY;SPIRAL", "STAR;M DWARF", "STAR CLUSTER;GLOBULAR", "ISM;NEBULA",
            "ACTIVE GALAXIES;GALAXIES;STARS", None)

SPEC = (("dataproduct_type", "string"), ("obs_collection", "string"),
        ("instrument_name", "string"), ("project", "string"), ("filters", "string"),
        ("wavelength_region", "string"), ("target_name", "string"),
        ("target_classification", "string"), ("obs_id", "string"), ("s_ra", "float"),
        ("s_dec", "float"), ("proposal_id", "string"), ("proposal_pi", "string"),
        ("calib_level", "int"), ("t_min", "float"), ("t_max", "float"),
        ("t_exptime", "float"), ("em_min", "float"), ("em_max", "float"),
        ("obs_title", "string"), ("t_obs_release", "float", F5), ("s_region", "string"),
        ("jpegURL", "string"), ("dataURL", "string"), ("obsid", "string", fmt_int),
        ("objID", "string", fmt_int), ("_selected_", "boolean"))

COL = {item[0]: i for i, item in enumerate(SPEC)}


def _region(rng, ra, dec, radius, circle):
    if circle:
        return "CIRCLE ICRS %.8f %.8f %g" % (ra, dec, radius)
    pa = rng.random() * math.pi / 2
    corners = []
    for i in range(5):
        angle = pa + (i % 4) * math.pi / 2
        c_ra = ra + radius * math.cos(angle) / max(0.01, math.cos(dec * DEG))
        c_dec = dec + radius * math.sin(angle)
        corners.append("%.8f %.8f" % (c_ra % 360.0, c_dec))
    return "POLYGON ICRS " + " ".join(corners)


def obs_id_for(collection, n, instrument_code, filt):
    """The obs_id (and product file stem) of synthetic observation ``n``."""
    if collection == "HST":
        return "%s%s0Q" % (instrument_code, base36(n, 6))
    if collection == "HLA":
        return "hst_%05d_%s_%s_%s_%s" % (n // 46656, base36(n % 46656, 3).lower(),
                                         "wfc3" if instrument_code == "uvis" else
                                         ("acs" if instrument_code == "wfc" else "wfpc2"),
                                         filt.lower(), instrument_code)
    if collection == "GALEX":
        return str(6_370_000_000_000_000_000 + n * 4096)
    if collection == "JWST":
        return "jw%05d-o%03d_t%03d_%s_%s" % (n // 10000, (n % 10000) // 10, n % 10 + 1,
                                             instrument_code, filt.split(";")[0].lower())
    return "tess2019%09d-s%04d-%016d-0144-s" % (n % 10 ** 9, 1 + n % 69, n)


def stem_for(collection, obs_id, n):
    """The part of every product file name that identifies the observation."""
    if collection == "GALEX":
        return "AIS_%d_sg%02d" % (n // 64, n % 64)
    if collection == "HST":
        return obs_id.lower()
    return obs_id


def n_from_stem(collection, stem):
    """Recover ``n`` from a product file stem, or None."""
    try:
        if collection == "HST" and len(stem) == 9:
            return int(stem[1:7], 36)
        if collection == "HLA":
            parts = stem.split("_")
            return int(parts[1]) * 46656 + int(parts[2], 36)
        if collection == "GALEX":
            m = re.fullmatch(r"AIS_(\d+)_sg(\d\d)", stem)
            return int(m.group(1)) * 64 + int(m.group(2)) if m else None
        if collection == "JWST":
            m = re.match(r"jw(\d{5})-o(\d{3})_t(\d{3})_", stem)
            return (int(m.group(1)) * 10000 + int(m.group(2)) * 10 + int(m.group(3)) - 1
                    if m else None)
        if collection == "TESS":
            m = re.match(r"tess2019\d{9}-s\d{4}-(\d{16})-0144-s$", stem)
            return int(m.group(1)) if m else None
    except (ValueError, IndexError):
        return None
    return None


class CaomCatalog(Catalog):
    """CAOM observations; see the module docstring for the id scheme."""

    name = "CAOM"
    spec = SPEC
    tiers = (Tier("allsky", 2.0, 0.75, ALLSKY_PER_CELL - 1, boosted=False),
             Tier("local", 0.25, 150.0, LOCAL_PER_CELL - 1))
    boosts = {"M101": 30.0, "M10": 30.0, "M15": 30.0, "M103": 10.0, "M1": 30.0, "M8": 10.0,
              "M78": 10.0, "Barnard's Star": 20.0, "L 98-59": 20.0}
    distance_name = "distance"
    distance_scale = 3600.0
    distance_at = -1  # before _selected_, as in caom.json

    def make_row(self, rng, ra, dec, tier, cell, k):
        if tier.name == "allsky":
            n = ALLSKY_BASE + cell * ALLSKY_PER_CELL + k
        else:
            n = cell * LOCAL_PER_CELL + k
        return self.observation(rng, ra, dec, n)

    def observation(self, rng, ra, dec, n):
        """The row of observation ``n`` at (ra, dec)."""
        r = rng.random
        collection = pick(rng, [(name, spec[0]) for name, spec in COLLECTIONS.items()])
        instrument, footprint, filters, product_type, code = rng.choice(
            COLLECTIONS[collection][1])
        filt = rng.choice(filters)
        obsid = OBSID_BASE + n
        obs_id = obs_id_for(collection, n, code, filt)
        centre_nm = _FILTER_NM.get(filt, 600)
        if collection == "GALEX":
            t_min = 52800 + 3500 * r()
            project = pick(rng, (("AIS", 6), ("MIS", 2), ("GII", 1)))
            target = "AIS_%d_1_%d" % (n // 64 % 1000, n % 64)
            proposal, pi, title = None, None, None
            exptime = 100.0 + 1500 * r() ** 3
        elif collection == "TESS":
            t_min = 58325 + 2000 * r()
            project = "TESS"
            target = str(n)
            proposal, pi, title = "G0%04d" % (n % 9999), "Ricker, George", None
            exptime = round(1_900_000.0 + 300_000 * r(), 1)
        else:
            t_min = (59750 if collection == "JWST" else 49300) + (
                1200 if collection == "JWST" else 10000) * r()
            project = collection if collection == "HST" else ("HAP" if collection == "HLA"
                                                              else "JWST")
            target = pick(rng, (("NGC-%d" % (n % 7000 + 1), 3), ("FIELD-%d" % (n % 997), 2),
                                ("ANY", 1)))
            proposal = "%d" % (1000 + n % 16000)
            pi = _PIS[n % len(_PIS)]
            title = _TITLES[n % len(_TITLES)]
            exptime = float(int(100 + 2400 * r()))
        t_max = t_min + exptime / 86400.0
        eap = collection in ("HST", "JWST") and r() < 0.06
        release = (61500 + 400 * r()) if eap else t_max + 365 * (0.2 + r())
        calib = 2 if collection == "GALEX" else (3 if collection == "HLA" else
                                                 pick(rng, ((2, 1), (3, 2))))
        jpeg = None
        if collection in ("HST", "HLA") and product_type == "image":
            jpeg = "mast:%s/product/%s_drz.jpg" % (collection, stem_for(collection, obs_id, n))
        width = 0.01 + 0.12 * r()
        region = "UV" if centre_nm < 320 else ("OPTICAL" if centre_nm < 1000 else "INFRARED")
        return (product_type, collection, instrument, project,
                filt, region, target,
                _CLASSES[n % len(_CLASSES)], obs_id, round(ra, 11), round(dec, 11), proposal,
                pi, calib, round(t_min, 5), round(t_max, 5), exptime,
                round(centre_nm * (1 - width), 3), round(centre_nm * (1 + width), 3), title,
                round(release, 5), _region(rng, ra, dec, footprint, collection == "GALEX"),
                jpeg, None, obsid, obsid + 9_180_000, None)

    def decode(self, obsid):
        """(tier, cell) that generated ``obsid``, or None."""
        n = int(obsid) - OBSID_BASE
        if 0 <= n < ALLSKY_BASE:
            tier, cell = self.tiers[1], n // LOCAL_PER_CELL
        elif ALLSKY_BASE <= n < ALLSKY_BASE + self.tiers[0].grid.ncells * ALLSKY_PER_CELL:
            tier, cell = self.tiers[0], (n - ALLSKY_BASE) // ALLSKY_PER_CELL
        else:
            return None
        if cell >= tier.grid.ncells:
            return None
        return tier, cell

    def find(self, obsid):
        """The row of synthetic observation ``obsid``, or None."""
        try:
            located = self.decode(obsid)
        except (TypeError, ValueError):
            return None
        if located is None:
            return None
        for _, _, row in self.cell_sources(*located):
            if row[COL["obsid"]] == int(obsid):
                return row
        return None


def footprint_radius(instrument):
    """Footprint radius (degrees) of an instrument, for crossmatching."""
    for _, (_, instruments) in COLLECTIONS.items():
        for name, radius, *_ in instruments:
            if name == instrument:
                return radius
    return 0.02


MAX_FOOTPRINT = 0.6

CAOM = CaomCatalog()
