"""Filter sets and column selection of the ``*.Filtered*`` services.

A filter is ``{"paramName": col, "values": [...], "separator": ";",
"freeText": "%x%"}``.  Discrete values match case-insensitively (SQL Server's
default collation); a ``{"min": a, "max": b}`` value is an inclusive range;
``freeText`` is a SQL LIKE pattern (``%`` and ``_``), ORed with the values.
With a ``separator`` a multi-valued cell matches when any of its tokens
does.  Several filters AND together.
"""

import json
import math
import re

from .errors import ServiceError, invalid_column
from .table import Field, Table


def as_float(value):
    """Lenient number parsing (numbers may arrive as strings); finite only."""
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    try:
        number = float(value)
    except (TypeError, OverflowError):
        raise ValueError(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _like_regex(pattern):
    parts = []
    for ch in str(pattern):
        if ch == "%":
            parts.append(".*")
        elif ch == "_":
            parts.append(".")
        else:
            parts.append(re.escape(ch))
    return re.compile("^" + "".join(parts) + "$", re.IGNORECASE | re.DOTALL)


def _value_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Filter:
    """One compiled filter: a predicate over a single column value."""

    def __init__(self, spec, position):
        self.position = position
        self.separator = spec.get("separator") or None
        values = spec.get("values")
        if values is None:
            values = []
        if not isinstance(values, list):
            values = [values]
        self.ranges = []
        self.exact = set()
        for value in values:
            if isinstance(value, dict):
                lo = value.get("min")
                hi = value.get("max")
                try:
                    self.ranges.append((None if lo in (None, "") else as_float(lo),
                                        None if hi in (None, "") else as_float(hi)))
                except ValueError:
                    raise ServiceError("Error converting data type nvarchar to float.")
            else:
                self.exact.add(_value_text(value).strip().lower())
        free = spec.get("freeText")
        self.like = _like_regex(free) if free not in (None, "") else None

    def _match_one(self, value):
        if value is None:
            return False
        if self.ranges and not isinstance(value, str):
            for lo, hi in self.ranges:
                if (lo is None or value >= lo) and (hi is None or value <= hi):
                    return True
        if self.ranges and isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                number = None
            if number is not None:
                for lo, hi in self.ranges:
                    if (lo is None or number >= lo) and (hi is None or number <= hi):
                        return True
        text = _value_text(value)
        if self.exact and text.strip().lower() in self.exact:
            return True
        if self.like is not None and self.like.match(text):
            return True
        return False

    def __call__(self, row):
        value = row[self.position]
        if self.separator and isinstance(value, str):
            return any(self._match_one(token.strip()) for token in value.split(self.separator))
        return self._match_one(value)


def parse_filters(raw):
    """The ``filters`` param as a list of dicts (it may arrive as a JSON string)."""
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ServiceError("Invalid filters parameter.")
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(f, dict) for f in raw):
        raise ServiceError("Invalid filters parameter.")
    return raw


def apply_filters(table, filters):
    """Rows of ``table`` passing every filter (unknown column → ERROR)."""
    compiled = []
    for spec in filters:
        name = spec.get("paramName")
        if not name:
            raise ServiceError("Filter is missing 'paramName'.")
        position = table.index(str(name))
        if position is None:
            raise invalid_column(name)
        compiled.append(_Filter(spec, position))
    if not compiled:
        return table
    rows = [row for row in table.rows if all(f(row) for f in compiled)]
    return table.with_rows(rows)


def count_table(count):
    """The one-row ``COUNT_BIG(*)`` answer: ``{"Column1": N}`` typed string."""
    return Table([Field("Column1", "string", lambda v: str(int(v)))], [(count,)])


def parse_columns(columns):
    """Classify the ``columns`` param: ('all',), ('count',), ('list', [...])."""
    if columns is None:
        return ("all",)
    text = str(columns).strip()
    if text in ("", "*"):
        return ("all",)
    squeezed = text.replace(" ", "").upper()
    if squeezed == "COUNT_BIG(*)" or squeezed == "COUNT(*)":
        return ("count",)
    match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*\*\s*\)", text)
    if match:
        raise ServiceError("'%s' is not a recognized built-in function name." % match.group(1))
    names = [part.strip() for part in text.split(",")]
    for name in names:
        prefix = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\.(\*|[A-Za-z0-9_]+)", name)
        if prefix:
            raise ServiceError("The column prefix '%s' does not match with a table name or "
                               "alias name used in the query." % prefix.group(1))
        if not name:
            raise ServiceError("Incorrect syntax near ','.")
    return ("list", names)


def select_columns(table, names, hidden=()):
    """Keep the named columns (unknown or hidden → ERROR)."""
    positions = []
    for name in names:
        position = table.index(name)
        if position is None or table.fields[position].name in hidden:
            raise invalid_column(name)
        positions.append(position)
    return table.select(positions)


def drop_hidden(table, hidden):
    """Remove internal columns that filters may use but results never show."""
    if not hidden:
        return table
    return table.select([i for i, f in enumerate(table.fields) if f.name not in hidden])
