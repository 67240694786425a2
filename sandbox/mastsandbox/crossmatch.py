"""Crossmatch services (Mast.*.Crossmatch).

Input: the request's ``data`` (``{"fields": [...], "data": [...]}`` or a
whole earlier result envelope), ``params.raColumn``/``decColumn`` (default
``ra``/``dec``) and ``params.radius`` in degrees (default 0.002).

Output [INFERRED: no recorded crossmatch response exists]: for every input
row, one output row per catalogue source within the radius, ordered by input
row then distance.  Columns are the input columns (minus ``_selected_``),
then the catalogue's columns (a name already used by the input gets the
prefix ``match_``), then ``MatchDistance``: the great-circle distance between
the input position and the source in arcseconds.  For CAOM a source matches
when the input position is within the radius of the observation's footprint
(approximated by a circle), since observations are extended.
"""

import json

from .caom import CAOM, COL, MAX_FOOTPRINT, footprint_radius
from .errors import ServiceError
from .filters import as_float
from .table import Field, Table, fmt_any

DISTANCE = "MatchDistance"


def parse_input(data):
    """(fields, rows-as-dicts) from the request's ``data``."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            raise ServiceError("Crossmatch data is not valid JSON.")
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise ServiceError("Crossmatch requires a 'data' object with 'fields' and 'data'.")
    rows = [row for row in data["data"] if isinstance(row, dict)]
    fields = data.get("fields")
    if isinstance(fields, list) and all(isinstance(f, dict) and "name" in f for f in fields):
        fields = [(str(f["name"]), str(f.get("type", "string"))) for f in fields]
    else:
        names = []
        for row in rows:
            names.extend(n for n in row if n not in names)
        fields = [(name, "string") for name in names]
    fields = [(name, kind) for name, kind in fields if name != "_selected_"]
    return fields, rows


def crossmatch(catalog, data, params):
    """Run one crossmatch against ``catalog`` (a Catalog instance)."""
    fields, rows = parse_input(data)
    ra_col = str(params.get("raColumn") or "ra")
    dec_col = str(params.get("decColumn") or "dec")
    names = [name for name, _ in fields]
    for column in (ra_col, dec_col):
        if column not in names and not any(column in row for row in rows):
            raise ServiceError("Column '%s' not found in the crossmatch input." % column)
    try:
        radius = as_float(params.get("radius", 0.002))
    except ValueError:
        raise ServiceError("Invalid radius.")
    if not 0 <= radius <= 10:
        raise ServiceError("Crossmatch radius must be between 0 and 10 degrees.")
    is_caom = catalog is CAOM
    cat_fields = catalog.fields
    out_fields = [Field(name, kind, fmt_any) for name, kind in fields]
    for field in cat_fields:
        if field.name in catalog.hidden:
            continue
        name = field.name if field.name not in names else "match_" + field.name
        out_fields.append(Field(name, field.type, field.fmt))
    out_fields.append(Field(DISTANCE, "float"))
    keep = [i for i, f in enumerate(cat_fields) if f.name not in catalog.hidden]
    out_rows = []
    for row in rows:
        try:
            ra, dec = as_float(row.get(ra_col)), as_float(row.get(dec_col))
        except ValueError:
            continue
        prefix = tuple(row.get(name) for name in names)
        search = radius + (MAX_FOOTPRINT if is_caom else 0.0)
        for dist, source in catalog.cone(ra, dec, search):
            if is_caom:
                reach = radius + footprint_radius(source[COL["instrument_name"]])
                if dist > reach:
                    continue
            out_rows.append(prefix + tuple(source[i] for i in keep) + (dist * 3600.0,))
    return Table(out_fields, out_rows)
