"""Result tables and the value formatting MAST uses on the wire.

A :class:`Table` is a list of :class:`Field` plus rows stored as tuples of
plain Python values (``None`` for null).  Each field carries the MAST type
word it is declared with (``string``, ``float``, ``int``, ``boolean``) and a
formatter that turns a non-null value into its JSON token.  The two are kept
apart on purpose: MAST declares id columns as ``string`` but sends JSON
integers, and it prints doubles the way .NET's "R" format does (15
significant digits when that round-trips, else 17) while SQL ``decimal``
columns keep their trailing zeros (``50121.79450``).
"""

import json

# ---------------------------------------------------------------- formatters


def fmt_r(value):
    """Format a double like .NET's ``Double.ToString("R")`` (G15, else G17)."""
    text = "%.15g" % value
    if float(text) != value:
        text = "%.17g" % value
    if "e" in text:
        text = text.replace("e", "E")
    if text in ("inf", "-inf", "nan"):
        return "null"
    return text


def fmt_fixed(decimals):
    """Return a formatter printing a SQL ``decimal(_, decimals)`` value."""
    pattern = "%%.%df" % decimals

    def fmt(value):
        return pattern % value
    fmt.__name__ = "fmt_fixed_%d" % decimals
    return fmt


def fmt_int(value):
    """Format an integer (also used for ids declared ``string``)."""
    return str(int(value))


def fmt_str(value):
    """Format a string as a JSON string literal (UTF-8, not ASCII-escaped)."""
    return json.dumps(str(value), ensure_ascii=False)


def fmt_bool(value):
    """Format a boolean."""
    return "true" if value else "false"


def fmt_any(value):
    """Format a value of any JSON type, choosing by its Python type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return fmt_bool(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return fmt_r(value)
    if isinstance(value, str):
        return fmt_str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_DEFAULT_FMT = {"string": fmt_str, "float": fmt_r, "int": fmt_int, "boolean": fmt_bool}


def plain_text(value):
    """Text of a value for CSV and VOTable cells ('' for null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        token = fmt_r(value)
        return "" if token == "null" else token
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


# ---------------------------------------------------------------- fields


class Field:
    """One column: name, declared MAST type and JSON formatter."""

    __slots__ = ("name", "type", "fmt")

    def __init__(self, name, type_, fmt=None):
        self.name = name
        self.type = type_
        self.fmt = fmt or _DEFAULT_FMT.get(type_, fmt_any)

    def __repr__(self):
        return "Field(%r, %r)" % (self.name, self.type)


# ---------------------------------------------------------------- table


class Table:
    """A result dataset: fields and rows (tuples aligned with fields)."""

    def __init__(self, fields, rows):
        self.fields = list(fields)
        self.rows = rows
        self._encoded = None
        self._index = {f.name: i for i, f in enumerate(self.fields)}

    def __len__(self):
        return len(self.rows)

    def index(self, name):
        """Column position of ``name`` (exact, then case-insensitive) or None."""
        pos = self._index.get(name)
        if pos is None:
            lowered = name.lower()
            for i, field in enumerate(self.fields):
                if field.name.lower() == lowered:
                    return i
        return pos

    def select(self, positions):
        """New table keeping the columns at ``positions`` (in that order)."""
        fields = [self.fields[i] for i in positions]
        if positions == list(range(len(self.fields))):
            return self
        rows = [tuple(row[i] for i in positions) for row in self.rows]
        return Table(fields, rows)

    def with_rows(self, rows):
        """Same fields, other rows."""
        return Table(self.fields, rows)

    # -- JSON encoding ---------------------------------------------------

    def row_encoder(self, positions=None):
        """Return a function encoding one row as a JSON object string."""
        if positions is None:
            positions = range(len(self.fields))
        parts = [('"%s":' % self.fields[i].name.replace('"', '\\"'), self.fields[i].fmt, i)
                 for i in positions]

        def encode(row):
            return "{" + ",".join([key + ("null" if row[i] is None else fmt(row[i]))
                                   for key, fmt, i in parts]) + "}"
        return encode

    def encoded_rows(self, start, stop):
        """JSON object strings of rows[start:stop], cached for the full table."""
        if self._encoded is None:
            encode = self.row_encoder()
            self._encoded = [encode(row) for row in self.rows]
        return self._encoded[start:stop]

    def fields_json(self, positions=None):
        if positions is None:
            positions = range(len(self.fields))
        return ",".join('{"name":%s,"type":%s}' % (json.dumps(self.fields[i].name),
                                                   json.dumps(self.fields[i].type))
                        for i in positions)
