"""Tables that are not on the sky grid: WFC3 PSF, JWST instrument keywords,
HSC matches and the sandbox's own ``Sandbox.Table``.

Each is generated deterministically (by row index or by id); the tables
searched as a whole are built once per process.
"""

import datetime
import functools

from .catalog import base36, pick
from .catalogs import HSC_BANDS
from .sky import rng_for
from .table import Field, Table, fmt_fixed, fmt_int

# ---------------------------------------------------------------- WFC3 PSF

UVIS_FILTERS = ("F200LP", "F225W", "F275W", "F336W", "F390W", "F438W", "F475W", "F555W",
                "F606W", "F814W")
IR_FILTERS = ("F098M", "F105W", "F110W", "F125W", "F127M", "F139M", "F140W", "F153M", "F160W")

PSF_SPEC = (("psf_id", "int"), ("rootname", "string"), ("filter", "string"),
            ("detector", "string"), ("chip", "int"), ("psf_x_center", "float"),
            ("psf_y_center", "float"), ("x_cal", "float"), ("y_cal", "float"),
            ("qfit", "float"), ("flux", "float"), ("sky", "float"), ("n_sat_pixels", "int"),
            ("exptime", "float"), ("expstart", "float"), ("proposid", "int"),
            ("targname", "string"), ("ra", "float"), ("dec", "float"),
            ("aperture", "string"), ("subarray", "boolean"))


@functools.lru_cache(maxsize=None)
def wfc3_psf(detector):
    """The WFC3 PSF table of 'UVIS' (50,000 rows) or 'IR' (20,000 rows)."""
    uvis = detector == "UVIS"
    size, width = (50000, 4096) if uvis else (20000, 1014)
    filters = UVIS_FILTERS if uvis else IR_FILTERS
    rows = []
    for i in range(size):
        if i % 500 == 0:
            rng = rng_for("wfc3psf", detector, i // 500)
            r = rng.random
            visit = "i%s" % base36(i // 20 + (0 if uvis else 900000), 6).lower()
            start = 55000 + 4000 * r()
            prop = 11000 + int(6000 * r())
            target = "FIELD-%d" % (i // 500)
            ra, dec = 360 * r(), -70 + 140 * r()
        x, y = width * r(), width * r()
        rows.append((i + (1 if uvis else 500001), visit + "q", rng.choice(filters),
                     ("UVIS" if uvis else "IR"), (1 + (y > 2048)) if uvis else 1,
                     round(x, 3), round(y, 3), round(x + rng.gauss(0, 0.5), 3),
                     round(y + rng.gauss(0, 0.5), 3), round(0.01 + 0.2 * r() ** 2, 4),
                     round(10 ** (3 + 3 * r()), 2), round(10 + 50 * r(), 3),
                     int(r() ** 8 * 20), float(int(30 + 1000 * r())),
                     round(start + i % 500 * 0.01, 6), prop, target,
                     round(ra + (x - width / 2) * 1e-5, 8), round(dec + (y - width / 2) * 1e-5, 8),
                     "UVIS" if uvis else "IR", r() < 0.1))
    return Table([Field(*item) for item in PSF_SPEC], rows)


# ---------------------------------------------------------------- JWST keywords

JWST_INSTRUMENTS = {
    "nircam": (["NRCA1", "NRCA2", "NRCA3", "NRCA4", "NRCALONG", "NRCB1", "NRCBLONG"],
               ["F090W", "F115W", "F150W", "F200W", "F277W", "F356W", "F444W"],
               ["NRC_IMAGE", "NRC_WFSS", "NRC_CORON"]),
    "niriss": (["NIS"], ["CLEAR", "F090W", "F150W", "F200W", "F277W"],
               ["NIS_IMAGE", "NIS_SOSS", "NIS_WFSS", "NIS_AMI"]),
    "nirspec": (["NRS1", "NRS2"], ["CLEAR", "F070LP", "F100LP", "F170LP", "F290LP"],
                ["NRS_IFU", "NRS_MSASPEC", "NRS_FIXEDSLIT", "NRS_BRIGHTOBJ"]),
    "miri": (["MIRIMAGE", "MIRIFUSHORT", "MIRIFULONG"],
             ["F560W", "F770W", "F1000W", "F1500W", "F2100W"],
             ["MIR_IMAGE", "MIR_MRS", "MIR_LRS-FIXEDSLIT"]),
    "fgs": (["GUIDER1", "GUIDER2"], ["N/A"], ["FGS_IMAGE", "FGS_FOCUS"]),
    "guidestar": (["GUIDER1", "GUIDER2"], ["N/A"],
                  ["FGS_ID-STACK", "FGS_ACQ1", "FGS_TRACK", "FGS_FINEGUIDE"]),
    "wss": (["NRCA3", "NRCB4"], ["F212N", "WLP8", "WLM8"], ["NRC_IMAGE"]),
}

JWST_SPEC = (("ArchiveFileID", "int"), ("filename", "string"), ("fileSetName", "string"),
             ("productLevel", "string"), ("act_id", "string"), ("apername", "string"),
             ("asnpool", "string"), ("asntable", "string"), ("bkgdtarg", "boolean"),
             ("category", "string"), ("date_obs", "string"), ("detector", "string"),
             ("duration", "float"), ("effexptm", "float"), ("exp_type", "string"),
             ("expstart", "float"), ("expend", "float"), ("filter", "string"),
             ("pupil", "string"), ("nints", "int"), ("ngroups", "int"), ("nframes", "int"),
             ("program", "int"), ("observtn", "int"), ("visit", "int"),
             ("targprop", "string"), ("targname", "string"), ("targ_ra", "float"),
             ("targ_dec", "float"), ("prop_ra", "float"), ("prop_dec", "float"),
             ("mu_ra", "float"), ("mu_dec", "float"), ("mu_epoch", "string"),
             ("pi_name", "string"), ("title", "string"))

_JWST_PIS = ("Rieke, Marcia", "Windhorst, Rogier", "Kalirai, Jason", "Lee, Janice",
             "Pontoppidan, Klaus", "Rigby, Jane", "Bean, Jacob", "Stiavelli, Massimo")


def _mjd_to_date(mjd):
    days = int(mjd) - 40587  # MJD of 1970-01-01
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(days=days,
                                                                seconds=(mjd % 1) * 86400)
    return moment.strftime("%Y-%m-%d")


@functools.lru_cache(maxsize=None)
def jwst_keywords(instrument):
    """The science-instrument keyword table of one JWST instrument (8,000 rows)."""
    detectors, filters, exp_types = JWST_INSTRUMENTS[instrument]
    rows = []
    base = 1 + list(JWST_INSTRUMENTS).index(instrument) * 10_000_000
    for i in range(8000):
        if i % 40 == 0:
            rng = rng_for("jwst", instrument, i // 40)
            r = rng.random
            program = 1000 + int(5000 * r())
            obs = 1 + int(30 * r())
            prop_ra, prop_dec = 360 * r(), -90 + 180 * r()
            moving = r() < 0.6
            mu = ((round(rng.gauss(0, 15), 6), round(rng.gauss(0, 15), 6)) if moving
                  else (None, None))
            target = "TARGET-%d" % (i // 40)
            start = 59750 + 1200 * r()
            pi = _JWST_PIS[i // 40 % len(_JWST_PIS)]
        detector = rng.choice(detectors)
        visit = 1 + i % 40 // 8
        name = "jw%05d%03d%03d_%02d101_%05d_%s" % (program, obs, visit, 1 + i % 4, 1 + i % 8,
                                                   detector.lower())
        duration = round(100 + 3000 * r(), 3)
        expstart = start + (i % 40) * 0.02
        rows.append((base + i, name + "_uncal.fits", name, "1b", "%02d" % (1 + i % 8),
                     "%s_FULL" % detector, "jw%05d_20230101t000000_pool.csv" % program,
                     "jw%05d-o%03d_20230101t000000_image2_00001_asn.json" % (program, obs),
                     r() < 0.1, pick(rng, (("GO", 6), ("GTO", 3), ("ERS", 1))),
                     _mjd_to_date(expstart), detector, duration, round(duration * 0.95, 3),
                     rng.choice(exp_types), round(expstart, 6),
                     round(expstart + duration / 86400, 6), rng.choice(filters),
                     "CLEAR", 1 + int(4 * r()), 2 + int(20 * r()), 1, program, obs, visit,
                     target, target, round(prop_ra, 6), round(prop_dec, 6), round(prop_ra, 6),
                     round(prop_dec, 6), mu[0], mu[1], "2000.0" if mu[0] is not None else None,
                     pi, "JWST program %d" % program))
    return Table([Field(*item) for item in JWST_SPEC], rows)


# ---------------------------------------------------------------- HSC matches

MATCH_SPEC = (("CatID", "int"), ("MatchID", "int"), ("MemID", "int"), ("SourceID", "int"),
              ("ImageID", "int"), ("Det", "string"), ("MatchRA", "float"),
              ("MatchDec", "float"), ("SourceRA", "float"), ("SourceDec", "float"),
              ("D", "float"), ("DSigma", "float"), ("AbsCorr", "string"), ("XImage", "float"),
              ("YImage", "float"), ("ImageName", "string"), ("Instrument", "string"),
              ("Mode", "string"), ("Detector", "string"), ("Aperture", "string"),
              ("ExposureTime", "float"), ("StartMJD", "float"), ("StopMJD", "float"),
              ("WaveLength", "float"), ("Filter", "string"), ("TargetName", "string"),
              ("FluxAper2", "float"), ("MagAper2", "float"), ("MagAuto", "float"),
              ("PropID", "int"), ("CI", "float"), ("KronRadius", "float"), ("Flags", "int"),
              ("naxis", "string"), ("crpix", "string"), ("crval", "string"),
              ("cd_matrix", "string"), ("_selected_", "boolean"))

_BAND_INFO = {"W2": ("WFPC2", "WFPC2/WFC", "WFALL"), "W3": ("WFC3", "WFC3/UVIS", "UVIS-CENTER"),
              "A": ("ACS", "ACS/WFC", "WFC")}


def hsc_matches(catalog, match_id):
    """Member detections of one HSC match (NumImages rows), or an empty table."""
    fields = [Field(*item) for item in MATCH_SPEC]
    found = catalog.source(match_id)
    if found is None:
        return Table(fields, [])
    ra, dec, row = found
    names = [f.name for f in catalog.fields]
    rng = rng_for("hscmatch", catalog.name, match_id)
    r = rng.random
    rows = []
    member = 0
    for band in HSC_BANDS:
        count = row[names.index(band + "_N")]
        mag = row[names.index(band)]
        prefix, filt = band.split("_")
        instrument, detector, aperture = _BAND_INFO[prefix]
        for _ in range(count):
            member += 1
            image_id = 1_000_000 + int(r() * 9_000_000)
            start = row[names.index("StartMJD")] + r() * 0.5
            exptime = float(int(100 + 1500 * r()))
            source_ra = ra + rng.gauss(0, 2e-6)
            source_dec = dec + rng.gauss(0, 2e-6)
            rows.append((280_000_000 + int(r() * 9e7), match_id, member,
                         6_000_000_000 + int(r() * 9e8), image_id, "Y", ra, dec, source_ra,
                         source_dec, 20 * r(), 40 * r(), "Y", 100 + 4000 * r(), 100 + 4000 * r(),
                         "hst_%05d_%02d_%s_%s" % (10000 + match_id % 5000, 1 + member % 30,
                                                  detector.lower().replace("/", "_"), filt.lower()),
                         instrument, "ACCUM", detector, aperture, exptime, start,
                         start + exptime / 86400, float(int(filt[1:4]) * 10), filt,
                         row[names.index("TargetName")],
                         10 ** (-0.4 * (mag - 25)) * (0.9 + 0.2 * r()),
                         mag + rng.gauss(0, 0.05), mag + rng.gauss(-0.2, 0.05),
                         10000 + match_id % 5000, 1 + r(), 0.15 + 0.1 * r(), int(r() * 3),
                         "4096 4096", "2048.00 2048.00", "%.8f %.8f" % (ra, dec),
                         "-1.1005e-005 3.55625e-010 3.55625e-010 1.1005e-005", None))
    return Table(fields, rows)


# ---------------------------------------------------------------- Sandbox.Table

_WORDS = ("alpha", "beta, gamma", 'say "hi"', "naïve café", "Ω ≈ 1", "line\nbreak",
          "tab\there", "comma,separated,values", "日本語", "plain")
_KINDS = ("int", "int64", "float", "string", "bool", "nullable")


def sandbox_fields(cols):
    fields = []
    for j in range(cols):
        kind = _KINDS[j % len(_KINDS)]
        name = "c%02d_%s" % (j, kind)
        if kind in ("int",):
            fields.append(Field(name, "int"))
        elif kind == "int64":
            fields.append(Field(name, "string", fmt_int))
        elif kind == "float":
            fields.append(Field(name, "float"))
        elif kind == "string":
            fields.append(Field(name, "string"))
        elif kind == "bool":
            fields.append(Field(name, "boolean"))
        else:
            fields.append(Field(name, "float", fmt_fixed(5)))
    return fields


def sandbox_table(nrows, cols):
    """Deterministic rows of mixed types for benchmarks and codec tests."""
    fields = sandbox_fields(cols)
    kinds = [_KINDS[j % len(_KINDS)] for j in range(cols)]
    rows = []
    for i in range(nrows):
        if i % 1000 == 0:
            rng = rng_for("sandbox-table", i // 1000)
            r = rng.random
        row = []
        for j, kind in enumerate(kinds):
            if kind == "int":
                row.append(i * 31 + j - 1000)
            elif kind == "int64":
                row.append(9_007_199_254_740_993 + i * 1_000_003 + j)
            elif kind == "float":
                row.append((r() - 0.5) * 10 ** (j % 7 - 2))
            elif kind == "string":
                row.append("%s #%d" % (_WORDS[(i + j) % len(_WORDS)], i))
            elif kind == "bool":
                row.append(r() < 0.5)
            else:
                row.append(None if (i + j) % 3 == 0 else round(r() * 100, 5))
        rows.append(tuple(row))
    return Table(fields, rows)
