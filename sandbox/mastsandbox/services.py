"""The invoke services: name → handler.

A handler takes a :class:`Context` and returns a :class:`~.table.Table`
(a dataset, which the invoke layer pages and formats), a :class:`Recorded`
(a fixture served byte for byte when the output format allows it), a
:class:`Raw` body (non-dataset JSON such as the name resolver), or a
:class:`Progressive` dataset (answered in growing parts while EXECUTING).
Handlers raise :class:`~.errors.ServiceError` for MAST ERROR answers.
"""

import json
import math
import re

from . import fixtures, vo
from .caom import CAOM
from .catalog import TARGETS
from .catalogs import CATALOGS
from .crossmatch import crossmatch
from .errors import ServiceError
from .filters import (apply_filters, as_float, count_table, drop_hidden, parse_columns,
                      parse_filters, select_columns)
from .finite import hsc_matches, jwst_keywords, sandbox_table, wfc3_psf
from .products import products_table
from .sky import angular_distance
from .table import Field, Table, fmt_any


class Context:
    """What a handler may use: the decoded request and where it came from."""

    def __init__(self, request, params, base_url, netlocs, bundles):
        self.request = request
        self.params = params
        self.base_url = base_url
        self.netlocs = netlocs
        self.bundles = bundles


class Raw:
    """A non-dataset answer sent as is."""

    def __init__(self, body, content_type="application/json"):
        self.body = body
        self.content_type = content_type


class Recorded:
    """A recorded dataset: verbatim bytes for json page 1, else re-formatted."""

    def __init__(self, name):
        self.name = name
        self.body = fixtures.raw(name)
        self.table = fixture_table(name)


class Progressive:
    """A dataset delivered in growing parts while the job is EXECUTING."""

    def __init__(self, table, parts):
        self.table = table
        self.parts = parts


def fixture_table(name, folder=fixtures.MAIN):
    """A recorded json envelope as a Table (values keep their JSON types)."""
    doc = fixtures.parsed(name, folder)
    fields = [Field(f["name"], f["type"], fmt_any) for f in doc["fields"]]
    rows = [tuple(row.get(f.name) for f in fields) for row in doc["data"]]
    return Table(fields, rows)


# ---------------------------------------------------------------- parameters


def number(params, name, default=None, required=False):
    value = params.get(name)
    if value in (None, ""):
        if required:
            raise ServiceError("Missing required parameter: %s" % name)
        return default
    try:
        return as_float(value)
    except ValueError:
        raise ServiceError("Invalid value for parameter %s: %r" % (name, value))


def integer(params, name, default):
    value = number(params, name, default)
    return int(value) if value is not None else None


def position(params, default_radius):
    """(ra, dec, radius) from ``ra``/``dec``/``radius`` params."""
    ra = number(params, "ra", required=True)
    dec = number(params, "dec", required=True)
    radius = number(params, "radius", default_radius)
    return _checked(ra, dec, radius)


def _checked(ra, dec, radius):
    if not -90.0 <= dec <= 90.0:
        raise ServiceError("Declination must be between -90 and 90 degrees.")
    if not 0.0 <= radius <= 30.0:
        raise ServiceError("Radius must be between 0 and 30 degrees.")
    return ra % 360.0, dec, radius


def position_string(params):
    """(ra, dec, radius) from Mast.Caom.Filtered.Position's ``position``."""
    text = params.get("position")
    if text in (None, ""):
        raise ServiceError("Missing required parameter: position")
    parts = [p for p in re.split(r"[,\s]+", str(text).strip()) if p]
    try:
        ra, dec = float(parts[0]), float(parts[1])
        radius = float(parts[2]) if len(parts) > 2 else 0.2
    except (ValueError, IndexError):
        raise ServiceError("Invalid position: %s" % text)
    return _checked(ra, dec, radius)


MAX_ROWS = 1_500_000


def guarded_cone(catalog, ra, dec, radius, limit=None):
    """Cone table, refusing cones far beyond MAST's ~500,000-row limit."""
    area = 2 * math.pi * (1 - math.cos(math.radians(radius))) * (180 / math.pi) ** 2
    density = sum(t.density for t in catalog.tiers)
    boost = 1.0 + sum(catalog.boosts.get(name, 0.0) for name, t_ra, t_dec, t_radius in TARGETS
                      if angular_distance(ra, dec, t_ra, t_dec) < t_radius + radius)
    if area * density * boost > MAX_ROWS and limit is None:
        raise ServiceError("The query would return more than %d rows; use a smaller radius."
                           % MAX_ROWS)
    return catalog.cone_table(ra, dec, radius, limit)


# ---------------------------------------------------------------- filtered


def filtered(ctx, table, hidden=(), force_count=False):
    """Apply ``filters`` and ``columns`` the way the Filtered services do."""
    table = apply_filters(table, parse_filters(ctx.params.get("filters")))
    mode = parse_columns(ctx.params.get("columns"))
    if force_count or mode[0] == "count":
        return count_table(len(table))
    if mode[0] == "list":
        return select_columns(table, mode[1], hidden)
    return drop_hidden(table, hidden)


def _fixture_matches(name, ctx, cone=None, recorded_centre=None, tolerance=0.05,
                     ignorable=(), require_filters=False):
    """Whether a recorded filtered answer is the one for this request.

    True when the request is not a count, every recorded row passes the
    request's filters and, for a positional request ``cone`` = (ra, dec,
    radius), the centre is within ``tolerance`` degrees of the recorded
    centre and every recorded row lies inside the cone.
    """
    if parse_columns(ctx.params.get("columns"))[0] != "all":
        return False
    table = fixture_table(name)
    if cone is not None:
        ra, dec, radius = cone
        if angular_distance(ra, dec, *recorded_centre) > tolerance:
            return False
        ra_i = table.index("ra") if table.index("ra") is not None else table.index("s_ra")
        dec_i = table.index("dec") if table.index("dec") is not None else table.index("s_dec")
        if any(angular_distance(ra, dec, row[ra_i], row[dec_i]) > radius for row in table.rows):
            return False
    filters = parse_filters(ctx.params.get("filters"))
    if require_filters and not filters:
        return False
    # filters on columns the recorded answer does not show (e.g. Disk
    # Detective's hidden vote columns) cannot be checked against it: skip them.
    filters = [f for f in filters if f.get("paramName") not in ignorable]
    try:
        kept = apply_filters(table, filters)
    except ServiceError:
        return False
    return len(kept) == len(table)


# ---------------------------------------------------------------- CAOM

CAOM_FILTERED_ORDER = [f["name"] for f in fixtures.parsed("advSearch.json")["fields"]]


def _caom_filtered_view(table, with_position):
    names = CAOM_FILTERED_ORDER + (["objID1", "distance"] if with_position else [])
    if with_position:
        objid = table.index("objID")
        table = Table(table.fields + [Field("objID1", "string", table.fields[objid].fmt)],
                      [row + (row[objid],) for row in table.rows])
    return table.select([table.index(n) for n in names])


def caom_cone(ctx):
    ra, dec, radius = position(ctx.params, 0.2)
    if (abs(ra - 23.34086) < 1e-4 and abs(dec - 60.658) < 1e-4 and abs(radius - 0.2) < 1e-6):
        return Recorded("caom.json")
    return guarded_cone(CAOM, ra, dec, radius)


def caom_filtered(ctx):
    filters = parse_filters(ctx.params.get("filters"))
    if any(str(f.get("paramName")).lower() == "proposal_pi" for f in filters) and \
            _fixture_matches("advSearch.json", ctx):
        return Recorded("advSearch.json")
    return filtered(ctx, _caom_filtered_view(CAOM.all_sky_table(), False))


def caom_filtered_position(ctx):
    ra, dec, radius = position_string(ctx.params)
    if angular_distance(ra, dec, 210.8023, 54.349) < 0.05 and \
            _fixture_matches("advSearchPos.json", ctx, require_filters=True):
        return Recorded("advSearchPos.json")
    return filtered(ctx, _caom_filtered_view(guarded_cone(CAOM, ra, dec, radius), True))


def caom_products(ctx):
    raw = ctx.params.get("obsid")
    if raw in (None, ""):
        raise ServiceError("Missing required parameter: obsid")
    ids = [part.strip() for part in str(raw).split(",") if part.strip()]
    try:
        ids = [int(as_float(part)) for part in ids]
    except ValueError:
        raise ServiceError("Invalid obsid: %s" % raw)
    if ids == [fixtures.RECORDED_PRODUCTS_OBSID]:
        return Recorded("products.json")
    return products_table(ids)


def missions_list(ctx):
    doc = fixtures.parsed("missions.extjs")
    for column in doc["data"]["Tables"][0]["Columns"]:
        if column["dataIndex"] == "obs_collection":
            keys = [k for k in column["ExtendedProperties"]["histObj"] if k != "hist"]
            return Table([Field("distinctValue", "string")], [(k,) for k in keys])
    return Table([Field("distinctValue", "string")], [])


# ---------------------------------------------------------------- catalogues


def cone_service(key, default_radius=0.2, limit_param=None, default_limit=None):
    """Handler factory for the plain catalogue cone services."""
    def handler(ctx):
        ra, dec, radius = position(ctx.params, default_radius)
        limit = integer(ctx.params, limit_param, default_limit) if limit_param else None
        table = guarded_cone(CATALOGS[key], ra, dec, radius, limit)
        return drop_hidden(table, CATALOGS[key].hidden)
    return handler


def hsc_cone(version):
    def handler(ctx):
        ra, dec, radius = position(ctx.params, 0.2)
        if version == 3 and angular_distance(ra, dec, 322.51, 12.167) < 0.04:
            return Recorded("hsc.json")
        limit = integer(ctx.params, "nr", 50000)
        min_images = integer(ctx.params, "ni", 1)
        table = CATALOGS["hscv%d" % version].cone_table(ra, dec, radius)
        images = table.index("NumImages")
        rows = [row for row in table.rows if row[images] >= min_images][:max(0, limit)]
        return table.with_rows(rows)
    return handler


def hsc_matches_service(version):
    def handler(ctx):
        value = ctx.params.get("input")
        if value in (None, ""):
            raise ServiceError("Missing required parameter: input")
        try:
            match_id = int(as_float(value))
        except ValueError:
            raise ServiceError("Invalid MatchID: %s" % value)
        if match_id == 82371983:
            return Recorded("matchid.json")
        return hsc_matches(CATALOGS["hscv%d" % version], match_id)
    return handler


def hsc_spectra(ctx):
    return Recorded("spectra.json")


def catalog_filtered(key, positional, force_count=False, fixture=None):
    """Handler factory for Mast.Catalogs.Filtered.{Tic,Ctl,DiskDetective}..."""
    catalog = CATALOGS[key]

    def handler(ctx):
        if positional:
            ra, dec, radius = position(ctx.params, 0.2)
            if fixture and not force_count:
                name, centre = fixture
                if _fixture_matches(name, ctx, (ra, dec, radius), centre, 0.15,
                                    catalog.hidden):
                    return Recorded(name)
            table = guarded_cone(catalog, ra, dec, radius)
            table = table.select(list(range(len(catalog.fields))))
        else:
            table = catalog.all_sky_table()
        return filtered(ctx, table, catalog.hidden, force_count)
    return handler


def finite_filtered(factory, *args):
    def handler(ctx):
        return filtered(ctx, factory(*args))
    return handler


# ---------------------------------------------------------------- crossmatch


def crossmatch_service(catalog):
    def handler(ctx):
        data = ctx.request.get("data")
        if data is None:
            data = ctx.params.get("data")
        if data is None:
            raise ServiceError("Missing required parameter: data")
        return crossmatch(catalog, data, ctx.params)
    return handler


# ---------------------------------------------------------------- misc


def name_lookup(ctx):
    name = ctx.params.get("input")
    if name in (None, ""):
        raise ServiceError("Missing required parameter: input")
    name = str(name)
    if " ".join(name.lower().split()) == "m103":
        return Raw(fixtures.raw(*fixtures.RESOLVER_M103))
    entries = fixtures.resolver_entries(name) or []
    body = json.dumps({"resolvedCoordinate": entries, "status": ""},
                      separators=(",", ":"), ensure_ascii=False)
    return Raw(body.encode("utf-8"))


def datascope(ctx):
    ra, dec, radius = position(ctx.params, 0.02)
    return Progressive(vo.datascope(ctx.base_url, ra, dec, radius), 3)


def generic_table(ctx):
    url = ctx.params.get("url")
    if url in (None, ""):
        raise ServiceError("Missing required parameter: url")
    return vo.generic_table(str(url), ctx.netlocs)


def bundle_request(ctx):
    return Raw(ctx.bundles.stage(ctx.params, ctx.base_url))


def sandbox_table_service(ctx):
    rows = integer(ctx.params, "rows", 100)
    cols = integer(ctx.params, "cols", 30)
    if not 0 <= rows <= 2_000_000 or not 1 <= cols <= 500 or rows * cols > 30_000_000:
        raise ServiceError("Sandbox.Table: rows must be 0..2000000, cols 1..500 and "
                           "rows*cols at most 30000000.")
    return sandbox_table(rows, cols)


def recorded_raw(name):
    def handler(ctx):
        return Raw(fixtures.raw(name))
    return handler


# ---------------------------------------------------------------- registry

_SERVICES = {
    "Mast.Name.Lookup": name_lookup,
    "Mast.Missions.List": missions_list,
    "Mast.Caom.Cone": caom_cone,
    "Mast.Caom.Filtered": caom_filtered,
    "Mast.Caom.Filtered.Position": caom_filtered_position,
    "Mast.Caom.Products": caom_products,
    "Mast.Caom.All": recorded_raw("missions.extjs"),
    "Mast.Catalogs.All.Tic": recorded_raw("ticcolumns_filtered.json"),
    "Mast.Catalogs.All.DiskDetective": recorded_raw("ddcolumns_filtered.json"),
    "Vo.Hesarc.DatascopeListable": datascope,
    "Vo.Generic.Table": generic_table,
    "Mast.Hsc.Db.v2": hsc_cone(2),
    "Mast.Hsc.Db.v3": hsc_cone(3),
    "Mast.HscMatches.Db.v2": hsc_matches_service(2),
    "Mast.HscMatches.Db.v3": hsc_matches_service(3),
    "Mast.HscSpectra.Db.All": hsc_spectra,
    "Mast.Catalogs.GaiaDR1.Cone": cone_service("gaiadr1"),
    "Mast.Catalogs.GaiaDR2.Cone": cone_service("gaiadr2"),
    "Mast.Catalogs.GaiaDR3.Cone": cone_service("gaiadr3"),
    "Mast.Catalogs.Tgas.Cone": cone_service("tgas"),
    "Mast.Galex.Catalog": cone_service("galex", 0.2, "maxrecords", 10000),
    "Mast.Catalogs.Tic.Cone": cone_service("tic", 0.02),
    "Mast.Catalogs.Ctl.Cone": cone_service("ctl", 0.02),
    "Mast.Catalogs.DiskDetective.Cone": cone_service("dd"),
    "Mast.Catalogs.Filtered.Wfc3Psf.Uvis": finite_filtered(wfc3_psf, "UVIS"),
    "Mast.Catalogs.Filtered.Wfc3Psf.Ir": finite_filtered(wfc3_psf, "IR"),
    "Mast.Caom.Crossmatch": crossmatch_service(CAOM),
    "Mast.Galex.Crossmatch": crossmatch_service(CATALOGS["galex"]),
    "Mast.Sdss.Crossmatch": crossmatch_service(CATALOGS["sdss"]),
    "Mast.2Mass.Crossmatch": crossmatch_service(CATALOGS["2mass"]),
    "Mast.Hsc.Crossmatch.MagAper2v3": crossmatch_service(CATALOGS["hscv3"]),
    "Mast.Hsc.Crossmatch.MagAutov3": crossmatch_service(CATALOGS["hscv3"]),
    "Mast.GaiaDR1.Crossmatch": crossmatch_service(CATALOGS["gaiadr1"]),
    "Mast.GaiaDR2.Crossmatch": crossmatch_service(CATALOGS["gaiadr2"]),
    "Mast.GaiaDR3.Crossmatch": crossmatch_service(CATALOGS["gaiadr3"]),
    "Mast.Tgas.Crossmatch": crossmatch_service(CATALOGS["tgas"]),
    "Mast.Tic.Crossmatch": crossmatch_service(CATALOGS["tic"]),
    "Mast.Ctl.Crossmatch": crossmatch_service(CATALOGS["ctl"]),
    "Mast.Bundle.Request": bundle_request,
    "Sandbox.Table": sandbox_table_service,
}

_TIC_FIXTURE = ("tic.json", (254.35, -4.1))
for _key, _label, _fixture in (("tic", "Tic", _TIC_FIXTURE), ("ctl", "Ctl", None)):
    for _suffix in ("", ".Rows"):
        _SERVICES["Mast.Catalogs.Filtered.%s%s" % (_label, _suffix)] = catalog_filtered(_key, False)
        _SERVICES["Mast.Catalogs.Filtered.%s.Position%s" % (_label, _suffix)] = \
            catalog_filtered(_key, True, fixture=_fixture)
_DD_FIXTURE = ("dd.json", (254.28746, -4.09933))
_SERVICES.update({
    "Mast.Catalogs.Filtered.DiskDetective": catalog_filtered("dd", False),
    "Mast.Catalogs.Filtered.DiskDetective.Position": catalog_filtered("dd", True,
                                                                      fixture=_DD_FIXTURE),
    "Mast.Catalogs.Filtered.DiskDetective.Count": catalog_filtered("dd", False, True),
    "Mast.Catalogs.Filtered.DiskDetective.Position.Count": catalog_filtered("dd", True, True),
})
for _instrument in ("Nircam", "Niriss", "Nirspec", "Miri", "Fgs", "GuideStar", "Wss"):
    _SERVICES["Mast.Jwst.Filtered.%s" % _instrument] = finite_filtered(jwst_keywords,
                                                                       _instrument.lower())

SERVICES = {name.lower(): (name, handler) for name, handler in _SERVICES.items()}


def lookup(name):
    """(canonical name, handler) of a service (case-insensitive), or None."""
    return SERVICES.get(str(name).strip().lower())


def column_config(name):
    """A columns config (dict keyed by column) for a known service, or None.

    Services with a recorded config (Mast.Caom.Cone, Mast.Catalogs.Tess.Cone,
    Mast.Catalogs.Dd.Cone) are answered from the fixtures by the caller.  For
    the others this builds a minimal config from the service's column schema
    (``{}`` for a known service without a fixed schema); unknown ids → None.
    """
    key = str(name).strip().lower()
    makers = {
        "mast.caom.products": lambda: products_table([]).fields,
        "mast.caom.all": lambda: CAOM.cone_fields,
        "mast.caom.filtered": lambda: _caom_filtered_view(Table(CAOM.cone_fields, []),
                                                          False).fields,
        "mast.caom.filtered.position": lambda: _caom_filtered_view(
            Table(CAOM.cone_fields, []), True).fields,
        "mast.galex.catalog": lambda: CATALOGS["galex"].cone_fields,
        "mast.hsc.db.v2": lambda: CATALOGS["hscv2"].cone_fields,
        "mast.hsc.db.v3": lambda: CATALOGS["hscv3"].cone_fields,
        "mast.hscspectra.db.all": lambda: fixture_table("spectra.json").fields,
        "mast.hscmatches.db.v2": lambda: fixture_table("matchid.json").fields,
        "mast.hscmatches.db.v3": lambda: fixture_table("matchid.json").fields,
    }
    for cat_key, catalog in CATALOGS.items():
        for alias in (cat_key, catalog.name.lower()):
            makers.setdefault("mast.catalogs.%s.cone" % alias,
                              lambda c=catalog: c.cone_fields)
    maker = makers.get(key)
    if maker is None:
        return {} if key in SERVICES else None
    vot = {"string": "char", "float": "double", "int": "int", "boolean": "boolean"}
    config = {}
    for order, field in enumerate(maker()):
        entry = {"text": field.name, "order": order, "type": field.type,
                 "vot.datatype": vot.get(field.type, "char")}
        if field.name == "_selected_":
            entry = {"text": "selected", "add": True, "type": "boolean", "hidden": True}
        config[field.name] = entry
    return config
