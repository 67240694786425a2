"""Data products of CAOM observations (Mast.Caom.Products) and the reverse
lookup from a product URI to its row, used by the download endpoints.

Columns are those of the recorded products.json plus ``parent_obsid``,
``dataRights`` and ``calib_level``.  Every observation gets 3–8 products;
FITS sizes are multiples of 2880 bytes between 1 KB and 2 MB.  Products of
observations whose release date is in the future (about 6% of HST and JWST
observations) are ``EXCLUSIVE_ACCESS`` except their previews and
association tables.
"""

from . import fixtures
from .caom import CAOM, COL, OBSID_BASE, n_from_stem, stem_for
from .sky import rng_for
from .table import Field, Table, fmt_int

SPEC = (("obsID", "string", fmt_int), ("obs_collection", "string"),
        ("dataproduct_type", "string"), ("obs_id", "string"), ("description", "string"),
        ("type", "string"), ("dataURI", "string"), ("productType", "string"),
        ("productGroupDescription", "string"), ("productSubGroupDescription", "string"),
        ("productDocumentationURL", "string"), ("project", "string"),
        ("prvversion", "string"), ("productFilename", "string"), ("size", "int"),
        ("parent_obsid", "string", fmt_int), ("dataRights", "string"),
        ("calib_level", "int"), ("_selected_", "boolean"))
FIELDS = [Field(*item) for item in SPEC]
P = {item[0]: i for i, item in enumerate(SPEC)}

MRP = "Minimum Recommended Products"

# (suffix, extension, description, productType, calib_level, always included)
RECIPES = {
    "HST": [("drz", "fits", "DADS DRZ file - Calibrated combined image", "SCIENCE", 3, True),
            ("drz", "jpg", "Preview-Full", "PREVIEW", 3, True),
            ("flt", "fits", "DADS FLT file - Calibrated exposure", "SCIENCE", 2, True),
            ("raw", "fits", "DADS RAW file - Raw exposure", "RAW", 1, False),
            ("asn", "fits", "DADS ASN file - Association", "AUXILIARY", 1, False),
            ("spt", "fits", "DADS SPT file - Support", "AUXILIARY", 1, False),
            ("trl", "fits", "DADS TRL file - Processing log", "AUXILIARY", 1, False),
            ("flc", "fits", "DADS FLC file - CTE-corrected exposure", "SCIENCE", 2, False)],
    "HLA": [("drz", "fits", "HLA drizzled image", "SCIENCE", 3, True),
            ("drz", "jpg", "Preview-Full", "PREVIEW", 3, True),
            ("wht", "fits", "HLA weight image", "AUXILIARY", 3, True),
            ("ctx", "fits", "HLA context image", "AUXILIARY", 3, False),
            ("cat", "txt", "HLA source list", "AUXILIARY", 3, False)],
    "GALEX": [("nd-int", "fits.gz", "Intensity map (NUV)", "SCIENCE", 2, True),
              ("fd-int", "fits.gz", "Intensity map (FUV)", "SCIENCE", 2, False),
              ("nd-cnt", "fits.gz", "Count map (NUV)", "AUXILIARY", 2, True),
              ("nd-rrhr", "fits.gz", "Relative response (NUV)", "AUXILIARY", 2, False),
              ("xd-mcat", "fits.gz", "Merged catalog", "SCIENCE", 2, True),
              ("xd-int_2color", "jpg", "Preview", "PREVIEW", 2, False)],
    "JWST": [("i2d", "fits", "Level 3: resampled image", "SCIENCE", 3, True),
             ("cal", "fits", "Level 2b: calibrated exposure", "SCIENCE", 2, True),
             ("rate", "fits", "Level 2a: countrate exposure", "SCIENCE", 2, False),
             ("uncal", "fits", "Level 1b: uncalibrated exposure", "SCIENCE", 1, False),
             ("asn", "json", "Association table", "INFO", 3, True),
             ("cat", "ecsv", "Level 3: source catalog", "SCIENCE", 3, False),
             ("i2d", "jpg", "Preview", "PREVIEW", 3, False)],
    "TESS": [("lc", "fits", "Light curves", "SCIENCE", 3, True),
             ("tp", "fits", "Target pixel files", "SCIENCE", 2, True),
             ("dvt", "fits", "Data validation time series", "AUXILIARY", 3, False),
             ("dvr", "pdf", "Data validation full report", "AUXILIARY", 3, False)],
}


def file_size(uri, extension):
    """Deterministic product size in bytes (1 KB .. 2 MB; FITS in 2880 blocks)."""
    rng = rng_for("size", uri)
    size = int(1024 * 2048 ** rng.random())
    if "fits" in extension:
        size = max(1, size // 2880) * 2880
    return size


def _file_name(collection, stem, suffix, extension):
    sep = "-" if collection == "GALEX" else "_"
    return "%s%s%s.%s" % (stem, sep, suffix, extension)


def products_for(obs):
    """Product rows of an observation given as a dict of CAOM columns."""
    collection = obs["obs_collection"]
    stem = obs.get("stem") or obs["obs_id"].lower()
    recipes = RECIPES.get(collection, RECIPES["HST"])
    rng = rng_for("products", obs["obsid"])
    optional = [r for r in recipes if not r[5]]
    chosen = [r for r in recipes if r[5]]
    extra = rng.randint(max(0, 3 - len(chosen)), max(0, min(len(optional), 8 - len(chosen))))
    picked = set(rng.sample(range(len(optional)), extra))
    chosen += [r for i, r in enumerate(optional) if i in picked]
    exclusive = (obs.get("t_obs_release") or 0) > 61000
    rows = []
    for suffix, extension, description, ptype, calib, _ in chosen:
        name = _file_name(collection, stem, suffix, extension)
        uri = "mast:%s/product/%s" % (collection, name)
        mrp = ptype == "SCIENCE" and calib == max(r[4] for r in chosen if r[3] == "SCIENCE")
        rights = ("EXCLUSIVE_ACCESS" if exclusive and ptype not in ("PREVIEW", "INFO", "AUXILIARY")
                  else "PUBLIC")
        rows.append((obs["obsid"], collection, obs["dataproduct_type"], obs["obs_id"],
                     description, "S" if ptype != "AUXILIARY" else "C", uri, ptype,
                     MRP if mrp else None, suffix.upper(), None, obs.get("project"),
                     None, name, file_size(uri, extension), obs["obsid"], rights, calib, None))
    return rows


def observation(obsid):
    """Dict of CAOM columns (plus ``stem``) for a synthetic or recorded obsid."""
    recorded = fixtures.recorded_observation(obsid)
    if recorded is not None:
        return recorded
    row = CAOM.find(obsid)
    if row is None:
        return None
    obs = {name: row[i] for name, i in COL.items()}
    obs["stem"] = stem_for(obs["obs_collection"], obs["obs_id"], obs["obsid"] - OBSID_BASE)
    return obs


def products_table(obsids):
    """Mast.Caom.Products for a list of obsids (unknown ones give no rows)."""
    rows = []
    for obsid in obsids:
        recorded = fixtures.recorded_products_of(obsid)
        obs = observation(obsid) if not recorded else None
        rows.extend(recorded or (products_for(obs) if obs is not None else []))
    return Table(FIELDS, rows)


def find_product(uri):
    """The product row a ``mast:`` URI names, or None if no product has it."""
    recorded = fixtures.recorded_product(uri)
    if recorded is not None:
        return recorded
    if not uri.startswith("mast:") or "/product/" not in uri:
        return None
    collection, _, name = uri[5:].partition("/product/")
    if collection == "GALEX":
        stem = name.split("-", 1)[0]
    else:
        stem = name.rsplit("_", 1)[0]
    obs = fixtures.recorded_observation_by_stem(collection, stem)
    if obs is None:
        n = n_from_stem(collection, stem)
        if n is None:
            return None
        obs = observation(OBSID_BASE + n)
        if obs is None or obs["obs_collection"] != collection or obs["stem"] != stem:
            return None
    for row in products_for(obs):
        if row[P["dataURI"]] == uri:
            return row
    return None
