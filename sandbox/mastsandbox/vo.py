"""The VO datascope (Vo.Hesarc.DatascopeListable) and VO tables behind it.

The datascope answers, for a position, a list of VO resources with how many
records each holds there and a ``tableURL`` to fetch them.  In the sandbox
every ``tableURL`` points back at this server (``/vo/cone/<shortName>``), where
the matching synthetic catalogue is cone-searched; Vo.Generic.Table resolves
the same URL internally.  The progressive behaviour (partial data
while EXECUTING) is implemented in the invoke module.
"""

from urllib.parse import parse_qs, quote, urlsplit

from .caom import CAOM
from .catalogs import CATALOGS
from .errors import ServiceError
from .table import Field, Table

# shortName -> (title, publisher, waveband, type, catalogue)
RESOURCES = (
    ("CAOM", "Common Archive Observation Model (MAST)", "MAST", "Optical#UV#Infrared",
     "Image", CAOM),
    ("GALEX_GR6", "GALEX GR6+7 merged catalog", "MAST", "UV", "Catalog", CATALOGS["galex"]),
    ("HSC_V3", "Hubble Source Catalog version 3", "MAST", "Optical#UV", "Catalog",
     CATALOGS["hscv3"]),
    ("TIC_V8", "TESS Input Catalog v8", "MAST", "Optical#Infrared", "Catalog", CATALOGS["tic"]),
    ("GAIA_DR2", "Gaia Data Release 2", "ESA", "Optical", "Catalog", CATALOGS["gaiadr2"]),
    ("2MASS_PSC", "2MASS All-Sky Point Source Catalog", "IPAC", "Infrared", "Catalog",
     CATALOGS["2mass"]),
    ("SDSS_DR12", "SDSS Photometric Catalog DR12", "SDSS", "Optical", "Catalog",
     CATALOGS["sdss"]),
    ("TGAS", "Tycho-Gaia Astrometric Solution", "ESA", "Optical", "Catalog", CATALOGS["tgas"]),
    ("DISKDETECTIVE", "Disk Detective subjects", "MAST", "Infrared", "Catalog", CATALOGS["dd"]),
)

SPEC = (("categories", "string"), ("shortName", "string"), ("title", "string"),
        ("publisher", "string"), ("ivoid", "string"), ("waveband", "string"),
        ("type", "string"), ("records", "int"), ("tableURL", "string"))
FIELDS = [Field(*item) for item in SPEC]

_BY_NAME = {item[0].lower(): item for item in RESOURCES}


def table_url(base_url, short_name, ra, dec, radius):
    return "%s/vo/cone/%s?RA=%s&DEC=%s&SR=%s" % (base_url, quote(short_name), ra, dec, radius)


def datascope(base_url, ra, dec, radius):
    """All datascope rows for a position (every resource, with its record count)."""
    rows = []
    for short, title, publisher, band, kind, catalog in RESOURCES:
        count = len(catalog.cone(ra, dec, radius))
        rows.append((kind, short, title, publisher, "ivo://sandbox.mast/%s" % short.lower(),
                     band, kind, count, table_url(base_url, short, ra, dec, radius)))
    return Table(FIELDS, rows)


def resource_cone(short_name, ra, dec, radius):
    """The rows a resource holds in a cone, or None for an unknown resource."""
    entry = _BY_NAME.get(short_name.lower())
    if entry is None:
        return None
    return entry[5].cone_table(ra, dec, radius)


def generic_table(url, own_netlocs):
    """Vo.Generic.Table: fetch a tableURL that this sandbox handed out."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ServiceError("Invalid url: %s" % url)
    if parts.netloc not in own_netlocs or not parts.path.startswith("/vo/cone/"):
        raise ServiceError("Unable to retrieve table from %s: the sandbox only serves its own "
                           "VO tables." % url)
    query = {k.upper(): v[0] for k, v in parse_qs(parts.query).items()}
    try:
        ra, dec, radius = float(query["RA"]), float(query["DEC"]), float(query["SR"])
    except (KeyError, ValueError):
        raise ServiceError("Invalid cone parameters in %s" % url)
    table = resource_cone(parts.path[len("/vo/cone/"):], ra, dec, radius)
    if table is None:
        raise ServiceError("Unknown VO resource in %s" % url)
    return table
