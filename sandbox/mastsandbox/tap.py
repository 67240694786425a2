"""The VO-TAP service (``/vo-tap/api/v0.1/<catalog>/...``, protocol doc §7a).

The real service is a FastAPI application (its OpenAPI document is the
recorded ``astroquery-pr3582/tap_collections.json``, served at
``/vo-tap/api/v0.1/openapi.json``).  Its catalogs are the ``CatalogName``
enum of that document.  Implemented here:

* ``<catalog>/sync`` (GET query string, or form POST): ``lang`` (ADQL or
  ADQL-2.1), ``query`` (the ADQL subset of adql.py), ``responseformat`` /
  ``format`` (votable, csv, json, xml), ``maxrec``.
* ``<catalog>/async``: UWS 1.1 jobs (see :class:`Jobs`).
* ``<catalog>/tables[/<table>]``, ``capabilities``, ``availability``.

Tables are backed by the synthetic sky: TIC ``dbo.catalogrecord`` uses the
Portal's TIC stars (catalogs.CATALOGS["tic"]) with the 125 columns of the
recorded tap_columns.vot; gaiadr3 ``dbo.gaia_source`` the Portal's Gaia DR3;
ps1dr2 (and ps1dr1) ``dbo.MeanObjectView`` a Pan-STARRS-like catalogue of this
module.  Every catalog also has its TAP_SCHEMA tables.

Answers to the recorded queries (tap_schema.tables, tap_schema.columns and
the TOP 10 cone of tic) are the recorded files' bytes.

[INFERRED] throughout where the OpenAPI document is silent: the error
documents, the order of rows without ORDER BY (generation order), the JSON
result shape, case-insensitive string comparison (the tables live in SQL
Server, schema ``dbo``), job ids and timestamps.
"""

import base64
import functools
import json
import math
import re
import struct
import threading
import time
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs

from . import adql, fixtures
from .catalog import Catalog, Tier
from .catalogs import CATALOGS as PORTAL
from .response import Response
from .sky import angular_distance, seed_of
from .table import fmt_r

PREFIX = "/vo-tap/api/v0.1"
FOLDER = "astroquery-pr3582"
VOTABLE_TYPE = "application/x-votable+xml"
CSV_TYPE = "text/csv;header=present"
MAXREC = 100_000
MAX_RADIUS = 3.0       # sandbox limit on CIRCLE radii, degrees
MAX_SCAN = 2_000_000   # sandbox limit on rows examined by one query
VOT_NS = "http://www.ivoa.net/xml/VOTable/v1.3"


@functools.lru_cache(maxsize=None)
def catalog_names():
    doc = json.loads(fixtures.raw("tap_collections.json", FOLDER).decode("utf-8"))
    return tuple(doc["components"]["schemas"]["CatalogName"]["enum"])


# ---------------------------------------------------------------- tables


class Column:
    __slots__ = ("name", "datatype", "unit", "ucd", "description")

    def __init__(self, name, datatype, unit="", ucd="", description=""):
        self.name, self.datatype = name, datatype
        self.unit, self.ucd, self.description = unit or "", ucd or "", description or ""


class TapTable:
    """A TAP table: columns, and where its rows come from.

    ``catalog`` (a catalog.Catalog) + ``convert(portal_row) -> tuple`` for sky
    tables (``ra_col``/``dec_col`` name the position columns), or ``static``
    (a function returning all rows) for TAP_SCHEMA tables.
    """

    def __init__(self, name, description, columns, catalog=None, convert=None,
                 ra_col=None, dec_col=None, static=None):
        self.name, self.description, self.columns = name, description, columns
        self.catalog, self.convert, self.static = catalog, convert, static
        self.ra_col, self.dec_col = ra_col, dec_col
        self.index = {c.name.lower(): i for i, c in enumerate(columns)}

    @property
    def schema(self):
        return self.name.split(".")[0]


def _recorded_tic_columns():
    tree = ET.fromstring(fixtures.raw("tap_columns.vot", FOLDER))
    out = []
    for tr in tree.iter("{%s}TR" % VOT_NS):
        cells = [td.text or "" for td in tr]
        out.append(Column(cells[0], cells[1], cells[2], cells[3], cells[4]))
    return out


def _caster(datatype):
    if datatype in ("long", "int", "short", "unsignedByte"):
        return int
    if datatype in ("float", "double"):
        return float
    if datatype == "boolean":
        return bool
    return str


def _converter(columns, source_names, extra=None):
    """convert(portal_row): values of ``columns`` from a row with ``source_names``."""
    where = {n.lower(): i for i, n in enumerate(source_names)}
    plan = []
    for col in columns:
        pos = where.get(col.name.lower())
        if pos is None and extra and col.name.lower() in extra:
            pos = where[extra[col.name.lower()]]
        plan.append((pos, _caster(col.datatype)))

    def convert(row):
        out = []
        for pos, cast in plan:
            value = None if pos is None else row[pos]
            out.append(None if value is None else cast(value))
        return tuple(out)
    return convert


def _tic_table():
    cols = _recorded_tic_columns()
    portal = PORTAL["tic"]
    names = [f.name for f in portal.fields]
    # ra_orig/dec_orig are the catalogue positions before propagation; the same here
    convert = _converter(cols, names, {"ra_orig": "ra", "dec_orig": "dec"})
    return TapTable("dbo.catalogrecord", "Main Catalog Record", cols, portal, convert,
                    "ra", "dec")


_GAIA_TYPES = {"solution_id": "long", "source_id": "long", "random_index": "long",
               "designation": "char", "phot_variable_flag": "char",
               "visibility_periods_used": "short", "ra": "double", "dec": "double",
               "l": "double", "b": "double", "ref_epoch": "double"}
_GAIA_UCD = {"source_id": "meta.id;meta.main", "ra": "pos.eq.ra;meta.main",
             "dec": "pos.eq.dec;meta.main", "parallax": "pos.parallax",
             "phot_g_mean_mag": "phot.mag;em.opt"}


def _unit_of(name):
    if name in ("ra", "dec", "l", "b"):
        return "deg"
    if name.endswith("_mag") or name == "bp_rp":
        return "mag"
    if name.startswith(("parallax", "ra_error", "dec_error")):
        return "mas"
    if name.startswith(("pmra", "pmdec")):
        return "mas/yr"
    if name == "ref_epoch":
        return "yr"
    return ""


def _gaia_table():
    portal = PORTAL["gaiadr3"]
    names = [f.name for f in portal.fields]
    cols = [Column(n, _GAIA_TYPES.get(n, "float"), _unit_of(n), _GAIA_UCD.get(n, ""))
            for n in names]
    return TapTable("dbo.gaia_source", "Gaia DR3 source catalog (sandbox subset)", cols,
                    portal, _converter(cols, names), "ra", "dec")


PS1_BANDS = "grizy"


class Ps1Catalog(Catalog):
    """Pan-STARRS1 mean objects (sandbox design; PS1 is not in the Portal)."""

    name = "PS1"
    spec = (("objName", "string"), ("objID", "string"), ("raMean", "float"),
            ("decMean", "float"), ("raMeanErr", "float"), ("decMeanErr", "float"),
            ("nDetections", "int"), ("qualityFlag", "int")) + tuple(
        item for b in PS1_BANDS for item in
        (("n" + b, "int"), (b + "MeanPSFMag", "float"), (b + "MeanPSFMagErr", "float")))
    tiers = (Tier("allsky", 2.0, 0.75, 64, boosted=False), Tier("local", 0.05, 8000.0, 4000))
    boosts = {"M101": 3.0, "M10": 3.0, "M15": 3.0, "M103": 2.0}

    def make_row(self, rng, ra, dec, tier, cell, k):
        r = rng.random
        # the real objID layout: declination zone (30") * 10^13 + RA digits [INFERRED digits]
        zone = int((dec + 90.0) / (1 / 120.0))
        obj_id = zone * 10 ** 13 + int(ra * 10 ** 6) * 10 + k % 10
        name = "PSO J%03d.%04d%+08.4f" % (int(ra), int((ra % 1) * 10000), dec)
        base = (11.0 + 6.0 * r()) if tier.name == "allsky" else (14.0 + 9.0 * r() ** 0.5)
        row = [name, obj_id, round(ra, 8), round(dec, 8), round(0.005 + 0.05 * r(), 6),
               round(0.005 + 0.05 * r(), 6), 0, pick_flag(r())]
        total = 0
        for i, band in enumerate(PS1_BANDS):
            mag = base - 0.3 * i + 0.2 * r()
            seen = mag < 22.5 and r() < 0.93
            n = int(1 + 12 * r()) if seen else 0
            total += n
            row += [n, round(mag, 6) if seen else None,
                    round(0.002 + 0.01 * 10 ** (0.3 * (mag - 20)), 6) if seen else None]
        row[6] = total
        return tuple(row)


def pick_flag(x):
    return 52 if x < 0.6 else (60 if x < 0.9 else 16)


PS1 = Ps1Catalog()


def _ps1_table():
    types = {"objName": "char", "objID": "long", "raMean": "double", "decMean": "double",
             "nDetections": "short", "qualityFlag": "unsignedByte"}
    ucds = {"objID": "meta.id;meta.main", "raMean": "pos.eq.ra;meta.main",
            "decMean": "pos.eq.dec;meta.main"}
    cols = []
    for f in PS1.fields:
        kind = types.get(f.name, "short" if f.type == "int" else "float")
        unit = "deg" if f.name in ("raMean", "decMean") else (
            "arcsec" if f.name.endswith("MeanErr") else ("mag" if "Mag" in f.name else ""))
        cols.append(Column(f.name, kind, unit, ucds.get(f.name, "")))
    return TapTable("dbo.MeanObjectView", "PS1 DR2 mean object properties", cols, PS1,
                    _converter(cols, [f.name for f in PS1.fields]), "raMean", "decMean")


SCHEMA_TABLES = (
    ("tap_schema.schemas", "description of schemas in this dataset"),
    ("tap_schema.tables", "description of tables in this dataset"),
    ("tap_schema.columns", "description of columns in this dataset"),
    ("tap_schema.keys", "description of foreign keys in this dataset"),
    ("tap_schema.key_columns", "description of foreign key columns in this dataset"),
)


def _char(*names):
    return [Column(n, "char") for n in names]


def _tap_schema(name, data_tables):
    every = []

    def all_tables():
        return every

    def schemas():
        seen = []
        for t in all_tables():
            if t.schema not in [s[0] for s in seen]:
                seen.append((t.schema, ""))
        return seen

    def tables():
        return [(t.schema, t.name, "table", t.description) for t in all_tables()]

    def columns():
        return [(t.name, c.name, c.datatype, c.unit, c.ucd, c.description)
                for t in all_tables() for c in t.columns]

    meta = [
        TapTable("tap_schema.schemas", SCHEMA_TABLES[0][1], _char("schema_name", "description"),
                 static=schemas),
        TapTable("tap_schema.tables", SCHEMA_TABLES[1][1],
                 _char("schema_name", "table_name", "table_type", "description"),
                 static=tables),
        TapTable("tap_schema.columns", SCHEMA_TABLES[2][1],
                 _char("table_name", "column_name", "datatype", "unit", "ucd", "description"),
                 static=columns),
        TapTable("tap_schema.keys", SCHEMA_TABLES[3][1],
                 _char("key_id", "from_table", "target_table", "description"),
                 static=lambda: []),
        TapTable("tap_schema.key_columns", SCHEMA_TABLES[4][1],
                 _char("key_id", "from_column", "target_column"), static=lambda: []),
    ]
    every.extend(meta + list(data_tables))
    return every


@functools.lru_cache(maxsize=None)
def tables_of(catalog):
    """{lower-cased name: TapTable} of a catalog (in tableset order)."""
    data = {"tic": [_tic_table], "gaiadr3": [_gaia_table], "ps1dr2": [_ps1_table],
            "ps1dr1": [_ps1_table]}.get(catalog, [])
    tables = _tap_schema(catalog, [make() for make in data])
    return {t.name.lower(): t for t in tables}


def find_table(catalog, name):
    tables = tables_of(catalog)
    found = tables.get(name.lower())
    if found is None and "." not in name:     # default schema dbo [INFERRED]
        found = tables.get("dbo." + name.lower())
    return found


# ---------------------------------------------------------------- execution


class QueryError(Exception):
    pass


class Result:
    def __init__(self, columns, rows, overflow, query):
        self.columns, self.rows, self.overflow, self.query = columns, rows, overflow, query


def _compare(op, value, literal):
    if value is None:
        return False
    if isinstance(value, str) or isinstance(literal, str):
        a, b = str(value).lower(), str(literal).lower()   # SQL Server collation [INFERRED]
    else:
        a, b = value, literal
    if op == "=":
        return a == b
    if op == "<>":
        return a != b
    if op == "<":
        return a < b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    return a >= b


def execute(catalog, text, maxrec=MAXREC):
    """Run ADQL ``text`` on a catalog; raises adql.AdqlError or QueryError."""
    q = adql.parse(text)
    table = find_table(catalog, q.table)
    if table is None:
        raise adql.AdqlError("Table '%s' does not exist in catalog '%s'" % (q.table, catalog),
                             text, q.table_pos)

    def col_index(name, pos):
        bare = name.lower()
        prefix = table.name.lower() + "."
        if bare.startswith(prefix):
            bare = bare[len(prefix):]
        elif bare.startswith(table.name.lower().split(".")[-1] + "."):
            bare = bare.split(".", 1)[1]
        found = table.index.get(bare)
        if found is None:
            raise adql.AdqlError("Column '%s' does not exist in table %s" % (name, table.name),
                                 text, pos)
        return found

    tests, cone = [], None
    for cond in q.conditions:
        if cond[0] == "cone":
            _, racol, deccol, ra, dec, radius, pos = cond
            ri, di = col_index(racol, pos), col_index(deccol, pos)
            if radius > MAX_RADIUS:
                raise adql.AdqlError("CIRCLE radius %g exceeds this sandbox's limit of %g "
                                     "degrees" % (radius, MAX_RADIUS), text, pos)
            if cone is None and table.catalog is not None and \
                    table.columns[ri].name == table.ra_col and \
                    table.columns[di].name == table.dec_col:
                cone = (ra, dec, radius)
            tests.append(lambda row, ri=ri, di=di, ra=ra, dec=dec, radius=radius:
                         row[ri] is not None and row[di] is not None and
                         abs(row[di] - dec) <= radius and
                         angular_distance(ra, dec, row[ri], row[di]) <= radius)
            continue
        op, column, value, pos = cond
        i = col_index(column, pos)
        if op == "null":
            tests.append(lambda row, i=i: row[i] is None)
        elif op == "notnull":
            tests.append(lambda row, i=i: row[i] is not None)
        elif op in ("like", "notlike"):
            rx, want = adql.like_regex(value), op == "like"
            tests.append(lambda row, i=i, rx=rx, want=want:
                         row[i] is not None and bool(rx.fullmatch(str(row[i]))) == want)
        else:
            if isinstance(value, str) and table.columns[i].datatype != "char":
                try:
                    value = float(value)
                except ValueError:
                    raise adql.AdqlError("Cannot compare numeric column '%s' with '%s'"
                                         % (column, value), text, pos)
            tests.append(lambda row, i=i, op=op, value=value: _compare(op, row[i], value))

    if q.columns is None:
        positions = list(range(len(table.columns)))
    else:
        positions = [col_index(name, pos) for name, pos in q.columns]
    order = [(col_index(name, pos), desc) for name, desc, pos in q.order]
    limit = min(maxrec, q.top) if q.top is not None else maxrec
    wanted = None if order else (q.top if q.top is not None and q.top <= maxrec else maxrec + 1)
    rows = []
    scanned = 0
    for row in _source_rows(table, cone):
        scanned += 1
        if scanned > MAX_SCAN:
            raise QueryError("Query examines more than %d rows (sandbox limit): add a "
                             "smaller CONTAINS constraint" % MAX_SCAN)
        if all(test(row) for test in tests):
            rows.append(row)
            if wanted is not None and len(rows) >= wanted:
                break
    for i, desc in reversed(order):
        # SQL Server: NULLs sort first ascending, last descending
        rows.sort(key=lambda row, i=i: (row[i] is not None, _sort_key(row[i])), reverse=desc)
    if q.top is not None:
        rows = rows[:q.top]
    overflow = len(rows) > maxrec
    rows = [tuple(row[p] for p in positions) for row in rows[:limit]]
    return Result([table.columns[p] for p in positions], rows, overflow, text)


def _sort_key(value):
    if value is None:
        return ""
    return value.lower() if isinstance(value, str) else value


def _source_rows(table, cone):
    if table.static is not None:
        yield from table.static()
        return
    cat = table.catalog
    if cone is not None:
        ra, dec, radius = cone
        for tier in cat.tiers:
            for cell in tier.grid.cells_in_cone(ra, dec, radius):
                for _, _, row in cat.cell_sources(tier, cell):
                    yield table.convert(row)
        return
    if not any(t.name == "allsky" for t in cat.tiers):
        raise QueryError("Table %s needs a CONTAINS(POINT(...), CIRCLE(...)) = 1 constraint "
                         "on %s, %s in this sandbox" % (table.name, table.ra_col, table.dec_col))
    # without a position the universe is the catalogue's sparse all-sky tier (as the
    # Portal's filtered services do)
    for row in cat.all_sky_rows():
        yield table.convert(row)


# ---------------------------------------------------------------- output


def esc(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, float):
        token = fmt_r(value)
        return "" if token == "null" else token
    return str(value)


VOTABLE_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')


def field_xml(col):
    attrs = ['name="%s"' % esc(col.name), 'datatype="%s"' % col.datatype]
    if col.datatype in ("char", "unicodeChar"):
        attrs.append('arraysize="*"')
    if col.unit:
        attrs.append('unit="%s"' % esc(col.unit))
    if col.ucd:
        attrs.append('ucd="%s"' % esc(col.ucd))
    text = "   <FIELD %s" % " ".join(attrs)
    if col.description:
        return text + ">\n    <DESCRIPTION>%s</DESCRIPTION>\n   </FIELD>\n" % esc(col.description)
    return text + "/>\n"


def votable(result, binary2=False):
    parts = [VOTABLE_HEAD, ' <RESOURCE type="results">\n',
             '  <INFO name="QUERY_STATUS" value="OK"/>\n',
             '  <INFO name="QUERY" value="%s"/>\n' % esc(result.query),
             '  <TABLE nrows="%d">\n' % len(result.rows)]
    parts.extend(field_xml(c) for c in result.columns)
    parts.append("   <DATA>\n")
    if binary2:
        parts.append('    <BINARY2>\n     <STREAM encoding="base64">')
        data = binary2_bytes(result)
        parts.append("\n".join(base64.b64encode(data[i:i + 57]).decode("ascii")
                               for i in range(0, len(data), 57)))
        parts.append("</STREAM>\n    </BINARY2>\n")
    else:
        parts.append("    <TABLEDATA>\n")
        for row in result.rows:
            parts.append("     <TR>" + "".join("<TD>%s</TD>" % esc(cell_text(v)) for v in row)
                         + "</TR>\n")
        parts.append("    </TABLEDATA>\n")
    parts.append("   </DATA>\n  </TABLE>\n")
    if result.overflow:
        # DALI 1.1 §4.4.1: a second QUERY_STATUS after the table marks truncation at maxrec
        parts.append('  <INFO name="QUERY_STATUS" value="OVERFLOW"/>\n')
    parts.append(" </RESOURCE>\n</VOTABLE>\n")
    return "".join(parts).encode("utf-8")


_B2 = {"long": ">q", "int": ">i", "short": ">h", "unsignedByte": ">B", "double": ">d",
       "float": ">f"}


def binary2_bytes(result):
    """VOTable 1.4 BINARY2: per row a null bitmap, then each cell big-endian
    (char arrays: a 4-byte length then the bytes; nulls as zero)."""
    out = bytearray()
    ncol = len(result.columns)
    kinds = [c.datatype for c in result.columns]
    for row in result.rows:
        mask = bytearray((ncol + 7) // 8)
        body = bytearray()
        for j, (kind, value) in enumerate(zip(kinds, row)):
            if value is None:
                mask[j // 8] |= 0x80 >> (j % 8)
            if kind in _B2:
                if value is None:
                    value = math.nan if kind in ("float", "double") else 0
                body += struct.pack(_B2[kind], value)
            elif kind == "boolean":
                body += b"?" if value is None else (b"T" if value else b"F")
            else:
                data = b"" if value is None else str(value).encode("utf-8")
                body += struct.pack(">I", len(data)) + data
        out += mask + body
    return bytes(out)


def csv_body(result):
    def cell(value):
        text = cell_text(value)
        if any(ch in text for ch in ',"\r\n'):
            text = '"' + text.replace('"', '""') + '"'
        return text
    lines = [",".join(cell(c.name) for c in result.columns)]
    lines += [",".join(cell(v) for v in row) for row in result.rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def json_body(result):
    # [INFERRED] the real JSON shape is not recorded; this is the common TAP-JSON style
    meta = [{"name": c.name, "datatype": c.datatype, "arraysize": "*" if c.datatype == "char"
             else None, "unit": c.unit or None, "ucd": c.ucd or None} for c in result.columns]
    data = [[None if (isinstance(v, float) and not math.isfinite(v)) else v for v in row]
            for row in result.rows]
    return json.dumps({"metadata": meta, "data": data, "overflow": result.overflow},
                      separators=(",", ":")).encode("utf-8")


def error_votable(message):
    return (VOTABLE_HEAD + ' <RESOURCE type="results">\n'
            '  <INFO name="QUERY_STATUS" value="ERROR">%s</INFO>\n </RESOURCE>\n</VOTABLE>\n'
            % esc(message)).encode("utf-8")


def error_response(status, message):
    return Response(status, error_votable(message), VOTABLE_TYPE)


def validation_error(items):
    """FastAPI's 422 body (the service is FastAPI: its OpenAPI names HTTPValidationError)."""
    return Response(422, json.dumps({"detail": items}, separators=(",", ":")).encode("utf-8"),
                    "application/json")


def _enum_text(values):
    quoted = ["'%s'" % v for v in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def bad_enum(where, name, value, values):
    text = _enum_text(values)
    return validation_error([{"type": "enum", "loc": [where, name],
                              "msg": "Input should be %s" % text, "input": value,
                              "ctx": {"expected": text}}])


def missing(where, name):
    return validation_error([{"type": "missing", "loc": [where, name], "msg": "Field required",
                              "input": None}])


FORMATS = ("json", "csv", "xml", "votable")
# sandbox extension [INFERRED]: not in the real EncodingEnum
BINARY2_FORMATS = ("votable/b2", "votable/binary2", "application/x-votable+xml;serialization=binary2")


def render(result, fmt):
    if fmt in BINARY2_FORMATS:
        return Response(200, votable(result, binary2=True), VOTABLE_TYPE)
    if fmt == "csv":
        return Response(200, csv_body(result), CSV_TYPE)
    if fmt == "json":
        return Response(200, json_body(result), "application/json")
    if fmt == "xml":
        return Response(200, votable(result), "application/xml")
    return Response(200, votable(result), VOTABLE_TYPE)


# ---------------------------------------------------------------- parameters


def params(request, where):
    """Parameters from the query string and (POST) the form, names lower-cased.

    The real FastAPI service takes lower-case names in the query string and
    upper-case LANG/QUERY/MAXREC in form bodies; the sandbox accepts any case
    [INFERRED leniency]."""
    out = {}
    sources = [parse_qs(request.query, keep_blank_values=True)]
    if request.method == "POST":
        sources.append(request.form())
    for source in sources:
        for key, values in source.items():
            out.setdefault(key.lower(), values[-1])
    return out


def query_params(values, where, require=True):
    """(lang, query, fmt, maxrec) or a 422 Response."""
    lang = values.get("lang")
    if lang is None and require:
        return missing(where, "lang" if where == "query" else "LANG")
    if lang is not None and lang not in ("ADQL", "ADQL-2.1"):
        return bad_enum(where, "lang", lang, ("ADQL", "ADQL-2.1"))
    query = values.get("query")
    if query is None and require:
        return missing(where, "query" if where == "query" else "QUERY")
    fmt = values.get("responseformat") or values.get("format") or "votable"
    if fmt.lower() in BINARY2_FORMATS:
        fmt = fmt.lower()
    elif fmt not in FORMATS:
        return bad_enum(where, "responseformat", fmt, FORMATS)
    maxrec = values.get("maxrec")
    if maxrec is None or maxrec == "":
        maxrec = MAXREC
    else:
        try:
            maxrec = int(maxrec)
        except ValueError:
            return validation_error([{"type": "int_parsing", "loc": [where, "maxrec"],
                                      "msg": "Input should be a valid integer, unable to parse "
                                             "string as an integer", "input": maxrec}])
        if maxrec < 0:
            return validation_error([{"type": "greater_than_equal", "loc": [where, "maxrec"],
                                      "msg": "Input should be greater than or equal to 0",
                                      "input": str(maxrec), "ctx": {"ge": 0}}])
        maxrec = min(maxrec, MAXREC)     # "max 100k" [INFERRED: clamped, not refused]
    return lang or "ADQL", query or "", fmt, maxrec


# recorded request -> recorded answer (tic only; the files answer masttest's tic)
RECORDED = {
    "select table_name, description from tap_schema.tables": "tap_catalogs.vot",
    "select column_name, datatype, unit, ucd, description from tap_schema.columns where "
    "table_name = 'dbo.catalogrecord'": "tap_columns.vot",
    "select top 10 * from dbo.catalogrecord where contains(point('icrs', ra, dec), "
    "circle('icrs', 23.34086, 60.658, 0.002)) = 1": "tap_results.vot",
}


def normalize(query):
    return " ".join(query.split()).lower()


def run_query(catalog, query, fmt, maxrec):
    """(Response for the result or its error, phase-ish ok flag, error message)."""
    recorded = RECORDED.get(normalize(query)) if catalog == "tic" else None
    if recorded and fmt == "votable" and maxrec >= 10:
        return Response(200, fixtures.raw(recorded, FOLDER), VOTABLE_TYPE), None
    try:
        result = execute(catalog, query, maxrec)
    except adql.AdqlError as exc:
        return error_response(400, exc.message), exc.message
    except QueryError as exc:
        return error_response(400, str(exc)), str(exc)
    return render(result, fmt), None


# ---------------------------------------------------------------- UWS jobs


UWS_NS = "http://www.ivoa.net/xml/UWS/v1.0"
ACTIVE = ("QUEUED", "EXECUTING")
EPOCH = 1735689600   # 2025-01-01T00:00:00Z: the sandbox's job clock [deterministic]


def iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


class Job:
    def __init__(self, job_id, catalog, seq, values):
        self.id, self.catalog, self.seq = job_id, catalog, seq
        self.params = values
        self.phase = "PENDING"
        self.created = EPOCH + seq
        self.started = None
        self.ended = None
        self.result = None      # Response
        self.error = None
        self.destruction = EPOCH + seq + 7 * 86400
        self.duration = 600


class Jobs:
    """Per-server UWS job table.  A started job moves QUEUED -> EXECUTING ->
    COMPLETED (or ERROR) one step per look at it (GET of the job or its
    phase), so a client sees each phase once; ``WAIT`` long-polls move it a
    step after a short pause (at most the WAIT).  Deleted job ids are kept
    (``deleted``) and answer 404."""

    def __init__(self):
        self.lock = threading.Lock()
        self.jobs = {}
        self.deleted = {}
        self.seq = 0

    def create(self, catalog, values):
        with self.lock:
            self.seq += 1
            job_id = "%016x" % seed_of("tap-job", catalog, self.seq)
            job = Job(job_id, catalog, self.seq, values)
            self.jobs[job_id] = job
            return job

    def get(self, catalog, job_id):
        with self.lock:
            job = self.jobs.get(job_id)
            return job if job is not None and job.catalog == catalog else None

    def delete(self, job):
        with self.lock:
            self.jobs.pop(job.id, None)
            self.deleted[job.id] = job.catalog

    def start(self, job):
        if job.phase in ("PENDING", "HELD"):
            job.phase = "QUEUED"
            job.started = job.created + 1

    def step(self, job):
        """Advance a running job by one phase."""
        with self.lock:
            if job.phase == "QUEUED":
                job.phase = "EXECUTING"
            elif job.phase == "EXECUTING":
                values = job.params
                response, error = run_query(job.catalog, values["query"], values["fmt"],
                                            values["maxrec"])
                job.ended = job.created + 3
                if error is None:
                    job.phase, job.result = "COMPLETED", response
                else:
                    job.phase, job.error = "ERROR", error


def jobs_of(state):
    with state.lock:
        table = getattr(state, "tap_jobs", None)
        if table is None:
            table = state.tap_jobs = Jobs()
        return table


def job_xml(job, base):
    url = "%s%s/%s/async/%s" % (base, PREFIX, job.catalog, job.id)
    p = job.params

    def t(value):
        return iso(value) if value is not None else None

    def elem(name, value):
        if value is None:
            return '  <uws:%s xsi:nil="true"/>\n' % name
        return "  <uws:%s>%s</uws:%s>\n" % (name, esc(value), name)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
             '<uws:job xmlns:uws="%s" xmlns:xlink="http://www.w3.org/1999/xlink" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.1">\n' % UWS_NS,
             elem("jobId", job.id), elem("runId", p.get("runid") or None),
             elem("ownerId", None), elem("phase", job.phase), elem("quote", None),
             elem("creationTime", t(job.created)), elem("startTime", t(job.started)),
             elem("endTime", t(job.ended)), elem("executionDuration", str(job.duration)),
             elem("destruction", t(job.destruction)), parameters_xml(job, inner=True)]
    parts.append("  <uws:results>\n")
    if job.phase == "COMPLETED":
        parts.append('   <uws:result id="result" xlink:type="simple" xlink:href="%s"/>\n'
                     % esc(url + "/results/result"))
    parts.append("  </uws:results>\n")
    if job.phase == "ERROR":
        parts.append('  <uws:errorSummary type="fatal" hasDetail="true">\n'
                     '   <uws:message>%s</uws:message>\n  </uws:errorSummary>\n' % esc(job.error))
    parts.append("</uws:job>\n")
    return "".join(parts).encode("utf-8")


def parameters_xml(job, inner=False):
    p = job.params
    rows = [("lang", p["lang"]), ("query", p["query"]), ("responseformat", p["fmt"]),
            ("maxrec", str(p["maxrec"]))]
    body = "".join('   <uws:parameter id="%s">%s</uws:parameter>\n' % (k, esc(v))
                   for k, v in rows)
    if inner:
        return "  <uws:parameters>\n%s  </uws:parameters>\n" % body
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<uws:parameters xmlns:uws="%s">\n%s'
            '</uws:parameters>\n' % (UWS_NS, body)).encode("utf-8")


def job_list_xml(jobs, catalog, base, phase=None):
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<uws:jobs xmlns:uws="%s" '
             'xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1">\n' % UWS_NS]
    with jobs.lock:
        listed = sorted((j for j in jobs.jobs.values() if j.catalog == catalog),
                        key=lambda j: j.seq)
    for job in listed:
        if phase and job.phase != phase.upper():
            continue
        parts.append(' <uws:jobref id="%s" xlink:href="%s%s/%s/async/%s">\n'
                     '  <uws:phase>%s</uws:phase>\n  <uws:creationTime>%s</uws:creationTime>\n'
                     ' </uws:jobref>\n' % (job.id, esc(base), PREFIX, catalog, job.id,
                                           job.phase, iso(job.created)))
    parts.append("</uws:jobs>\n")
    return "".join(parts).encode("utf-8")


def redirect(location):
    return Response(303, b"", "text/plain; charset=utf-8", [("Location", location)])


def xml_response(body, status=200):
    return Response(status, body, "application/xml")


def text(status, value):
    return Response(status, value.encode("utf-8"), "text/plain; charset=utf-8")


def async_handler(request, catalog, rest):
    jobs = jobs_of(request.state)
    base = request.base_url
    list_url = "%s%s/%s/async" % (base, PREFIX, catalog)
    if not rest:
        if request.method == "POST":
            values = params(request, "body")
            checked = query_params(values, "body", require=False)
            if isinstance(checked, Response):
                return checked
            lang, query, fmt, maxrec = checked
            job = jobs.create(catalog, {"lang": lang, "query": query, "fmt": fmt,
                                        "maxrec": maxrec, "runid": values.get("runid")})
            phase = values.get("phase")
            if phase is not None and phase.upper() != "RUN":
                return bad_enum("body", "PHASE", phase, ("RUN",))
            if phase is not None:
                jobs.start(job)
            return redirect("%s/%s" % (list_url, job.id))
        if request.method in ("GET", "HEAD"):
            phase = parse_qs(request.query).get("PHASE") or parse_qs(request.query).get("phase")
            return xml_response(job_list_xml(jobs, catalog, base, phase and phase[0]))
        return text(405, "Method Not Allowed")
    parts = rest.split("/")
    job = jobs.get(catalog, parts[0])
    if job is None:
        if jobs.deleted.get(parts[0]) == catalog:
            return error_response(404, "Job %s was deleted" % parts[0])
        return error_response(404, "No job %s" % parts[0])
    job_url = "%s/%s" % (list_url, job.id)
    sub = "/".join(parts[1:])
    values = params(request, "body")
    if sub == "":
        if request.method == "DELETE" or (request.method == "POST" and
                                          (values.get("action") or "").upper() == "DELETE"):
            jobs.delete(job)
            return redirect(list_url)
        if request.method == "POST":
            phase = values.get("phase")
            if phase is not None:
                return _phase_post(jobs, job, phase, job_url)
            return redirect(job_url)
        wait = values.get("wait")
        if wait is not None and job.phase in ACTIVE + ("PENDING",):
            try:
                seconds = max(0.0, float(wait))
            except ValueError:
                seconds = 0.0
            want = values.get("phase")
            if job.phase != "PENDING" and (want is None or want.upper() == job.phase):
                time.sleep(min(seconds, 0.1))
                jobs.step(job)
            body = job_xml(job, base)
        else:
            body = job_xml(job, base)
            if job.phase in ACTIVE:
                jobs.step(job)
        return xml_response(body)
    if sub == "phase":
        if request.method == "POST":
            return _phase_post(jobs, job, values.get("phase"), job_url)
        phase = job.phase
        if phase in ACTIVE:
            jobs.step(job)
        return text(200, phase)
    if sub == "results/result":
        if job.phase != "COMPLETED":
            return error_response(404, "Job %s has no result (phase %s)" % (job.id, job.phase))
        return job.result
    if sub == "results":
        body = job_xml(job, base)
        start = body.index(b"  <uws:results>")
        end = body.index(b"</uws:results>") + len(b"</uws:results>")
        inner = body[start:end].replace(b"<uws:results>", b'<uws:results xmlns:uws="%s" '
                                        b'xmlns:xlink="http://www.w3.org/1999/xlink">'
                                        % UWS_NS.encode())
        return xml_response(b'<?xml version="1.0" encoding="UTF-8"?>\n' + inner.strip() + b"\n")
    if sub == "error":
        if job.phase != "ERROR":
            return error_response(404, "Job %s has no error (phase %s)" % (job.id, job.phase))
        return error_response(200, job.error)
    if sub == "parameters":
        return xml_response(parameters_xml(job))
    if sub in ("executionduration", "destruction", "quote", "owner"):
        if request.method == "POST":
            return redirect(job_url)   # accepted, not changed [INFERRED]
        return text(200, {"executionduration": str(job.duration),
                          "destruction": iso(job.destruction),
                          "quote": "", "owner": ""}[sub])
    return not_found()


def _phase_post(jobs, job, phase, job_url):
    if phase is None:
        return missing("body", "PHASE")
    if phase.upper() not in ("RUN", "ABORT"):
        return bad_enum("body", "PHASE", phase, ("ABORT", "RUN"))
    if phase.upper() == "RUN":
        jobs.start(job)
    elif job.phase in ("PENDING", "QUEUED", "EXECUTING", "HELD"):
        job.phase = "ABORTED"
        job.ended = job.created + 2
    return redirect(job_url)


# ---------------------------------------------------------------- VOSI


def tableset_xml(catalog, detail="max", only=None):
    tables = list(tables_of(catalog).values())
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    if only is None:
        parts.append('<vosi:tableset xmlns:vosi="http://www.ivoa.net/xml/VOSITables/v1.0" '
                     'xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" '
                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')
        schemas = []
        for t in tables:
            if t.schema not in schemas:
                schemas.append(t.schema)
        for schema in schemas:
            parts.append(" <schema>\n  <name>%s</name>\n" % esc(schema))
            for t in tables:
                if t.schema == schema:
                    parts.append(_table_xml(t, detail != "min", "  "))
            parts.append(" </schema>\n")
        parts.append("</vosi:tableset>\n")
    else:
        parts.append(_table_xml(only, True, "", root=True))
    return "".join(parts).encode("utf-8")


def _table_xml(t, columns, pad, root=False):
    tag = "vs:table" if root else "table"
    ns = (' xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" '
          'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"') if root else ""
    out = ['%s<%s%s type="table">\n' % (pad, tag, ns), "%s <name>%s</name>\n" % (pad, esc(t.name)),
           "%s <description>%s</description>\n" % (pad, esc(t.description))]
    if columns:
        for c in t.columns:
            out.append("%s <column>\n%s  <name>%s</name>\n" % (pad, pad, esc(c.name)))
            if c.description:
                out.append("%s  <description>%s</description>\n" % (pad, esc(c.description)))
            if c.unit:
                out.append("%s  <unit>%s</unit>\n" % (pad, esc(c.unit)))
            if c.ucd:
                out.append("%s  <ucd>%s</ucd>\n" % (pad, esc(c.ucd)))
            size = ' arraysize="*"' if c.datatype == "char" else ""
            out.append('%s  <dataType xsi:type="vs:VOTableType"%s>%s</dataType>\n'
                       % (pad, size, c.datatype))
            out.append("%s </column>\n" % pad)
    out.append("%s</%s>\n" % (pad, tag))
    return "".join(out)


def capabilities(catalog, base):
    body = fixtures.raw("tap_capabilities.xml", FOLDER).decode("utf-8")
    body = re.sub(r"https://masttest\.stsci\.edu/vo-tap/api/v0\.1/tic(?=[/<])",
                  "%s%s/%s" % (base, PREFIX, catalog), body)
    return body.encode("utf-8")


AVAILABILITY = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<vosi:availability xmlns:vosi="http://www.ivoa.net/xml/VOSIAvailability/v1.0">'
                '\n <vosi:available>true</vosi:available>\n'
                ' <vosi:note>mast-sandbox VO-TAP is accepting queries</vosi:note>\n'
                '</vosi:availability>\n').encode("utf-8")


def not_found():
    return Response(404, b'{"detail":"Not Found"}', "application/json")


# ---------------------------------------------------------------- entry point


def handle(request):
    """Every path under /vo-tap/api/v0.1/."""
    rest = request.path[len(PREFIX):].lstrip("/")
    if rest == "openapi.json":
        return Response(200, fixtures.raw("tap_collections.json", FOLDER), "application/json")
    catalog, _, sub = rest.partition("/")
    if not catalog:
        return not_found()
    if catalog not in catalog_names():
        return bad_enum("path", "catalog", catalog, catalog_names())
    sub = sub.rstrip("/") if sub != "" else ""
    if sub == "sync":
        if request.method not in ("GET", "POST", "HEAD"):
            return text(405, "Method Not Allowed")
        where = "body" if request.method == "POST" else "query"
        checked = query_params(params(request, where), where)
        if isinstance(checked, Response):
            return checked
        _, query, fmt, maxrec = checked
        return run_query(catalog, query, fmt, maxrec)[0]
    if sub == "async" or sub.startswith("async/"):
        return async_handler(request, catalog, sub[len("async/"):] if "/" in sub else "")
    if sub == "tables":
        detail = (parse_qs(request.query).get("detail") or ["min"])[0]
        return xml_response(tableset_xml(catalog, detail))
    if sub.startswith("tables/"):
        table = find_table(catalog, sub[len("tables/"):])
        if table is None:
            return error_response(404, "No table %s in catalog %s" % (sub[7:], catalog))
        return xml_response(tableset_xml(catalog, only=table))
    if sub == "capabilities":
        return xml_response(capabilities(catalog, request.base_url))
    if sub == "availability":
        return xml_response(AVAILABILITY)
    return not_found()
