"""A small ADQL subset for the VO-TAP sandbox (see tap.py).

    SELECT [TOP n] * | col [, col ...]
    FROM schema.table
    [WHERE cond [AND cond ...]]
    [ORDER BY col [ASC|DESC] [, ...]]

``cond`` is ``CONTAINS(POINT('ICRS', racol, deccol), CIRCLE('ICRS', ra, dec, r)) = 1``
(also ``1 = CONTAINS(...)``), ``col op literal`` with op one of
``= <> != < > <= >=``, ``col [NOT] LIKE 'pattern'`` (``%`` and ``_``),
``col IS [NOT] NULL``, or a condition in parentheses.  Keywords and
(unquoted) identifiers are case-insensitive, as in ADQL.  Anything else is an
:class:`AdqlError` carrying the 1-based line and column where parsing stopped.
"""

import re


class AdqlError(Exception):
    def __init__(self, message, text=None, pos=None):
        if pos is not None and text is not None:
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            message = "%s (line %d, column %d)" % (message, line, col)
        super().__init__(message)
        self.message = message


_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<str>'(?:[^']|'')*')
  | (?P<qid>"(?:[^"]|"")+")
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|<>|!=|=|<|>)
  | (?P<punct>[(),.*+-])
""", re.VERBOSE)

KEYWORDS = {"SELECT", "TOP", "FROM", "WHERE", "AND", "OR", "NOT", "ORDER", "BY", "ASC",
            "DESC", "LIKE", "IS", "NULL", "CONTAINS", "POINT", "CIRCLE", "DISTINCT",
            "GROUP", "HAVING", "JOIN", "AS"}


class Token:
    __slots__ = ("kind", "value", "pos")

    def __init__(self, kind, value, pos):
        self.kind, self.value, self.pos = kind, value, pos

    def describe(self):
        return "end of query" if self.kind == "eof" else "'%s'" % self.value


def tokenize(text):
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise AdqlError("Unexpected character %r" % text[pos], text, pos)
        kind = m.lastgroup
        value = m.group()
        if kind == "str":
            out.append(Token("str", value[1:-1].replace("''", "'"), pos))
        elif kind == "qid":
            out.append(Token("id", value[1:-1].replace('""', '"'), pos))
        elif kind == "id" and value.upper() in KEYWORDS:
            out.append(Token("kw", value.upper(), pos))
        elif kind != "ws":
            out.append(Token(kind, value, pos))
        pos = m.end()
    out.append(Token("eof", "", len(text)))
    return out


class Query:
    """The parsed query: ``columns`` is None for ``*``, else [(name, pos)]."""

    def __init__(self):
        self.top = None
        self.columns = None
        self.table = None
        self.table_pos = 0
        self.conditions = []   # ("cone", racol, deccol, ra, dec, r, pos) or (op, col, value, pos)
        self.order = []        # [(column, descending, pos)]


class _Parser:
    def __init__(self, text):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def tok(self):
        return self.tokens[self.i]

    def fail(self, expected, token=None):
        token = token or self.tok
        raise AdqlError("ADQL syntax error: expected %s, found %s" % (expected, token.describe()),
                        self.text, token.pos)

    def take(self):
        token = self.tok
        self.i += 1
        return token

    def accept_kw(self, word):
        if self.tok.kind == "kw" and self.tok.value == word:
            return self.take()
        return None

    def expect_kw(self, word):
        return self.accept_kw(word) or self.fail(word)

    def expect_punct(self, char):
        if self.tok.kind == "punct" and self.tok.value == char:
            return self.take()
        return self.fail("'%s'" % char)

    def name(self, what):
        """A possibly qualified identifier: returns (dotted name, pos)."""
        if self.tok.kind != "id":
            self.fail(what)
        first = self.take()
        parts = [first.value]
        while self.tok.kind == "punct" and self.tok.value == ".":
            self.take()
            if self.tok.kind != "id":
                self.fail(what)
            parts.append(self.take().value)
        return ".".join(parts), first.pos

    def number(self):
        sign = 1.0
        if self.tok.kind == "punct" and self.tok.value in "+-":
            sign = -1.0 if self.take().value == "-" else 1.0
        if self.tok.kind != "num":
            self.fail("a number")
        text = self.take().value
        if re.fullmatch(r"\d+", text):
            return int(text) * int(sign)
        return float(text) * sign

    def literal(self):
        if self.tok.kind == "str":
            return self.take().value
        if self.tok.kind == "num" or (self.tok.kind == "punct" and self.tok.value in "+-"):
            return self.number()
        return self.fail("a number or a 'string'")

    def parse(self):
        q = Query()
        self.expect_kw("SELECT")
        if self.tok.kind == "kw" and self.tok.value == "DISTINCT":
            raise AdqlError("DISTINCT is not supported by this sandbox", self.text, self.tok.pos)
        if self.accept_kw("TOP"):
            if self.tok.kind != "num" or not self.tok.value.isdigit():
                self.fail("a row count after TOP")
            q.top = int(self.take().value)
        if self.tok.kind == "punct" and self.tok.value == "*":
            self.take()
        else:
            q.columns = []
            while True:
                name, pos = self.name("a column name or *")
                if self.tok.kind == "punct" and self.tok.value == "(":
                    raise AdqlError("Functions in the select list are not supported by this "
                                    "sandbox", self.text, pos)
                q.columns.append((name, pos))
                if not (self.tok.kind == "punct" and self.tok.value == ","):
                    break
                self.take()
        self.expect_kw("FROM")
        q.table, q.table_pos = self.name("a table name")
        if self.accept_kw("WHERE"):
            while True:
                self.condition(q)
                if self.tok.kind == "kw" and self.tok.value == "OR":
                    raise AdqlError("OR is not supported by this sandbox (only AND)",
                                    self.text, self.tok.pos)
                if not self.accept_kw("AND"):
                    break
        if self.accept_kw("ORDER"):
            self.expect_kw("BY")
            while True:
                name, pos = self.name("a column name")
                desc = False
                if self.accept_kw("DESC"):
                    desc = True
                else:
                    self.accept_kw("ASC")
                q.order.append((name, desc, pos))
                if not (self.tok.kind == "punct" and self.tok.value == ","):
                    break
                self.take()
        if self.tok.kind != "eof":
            self.fail("WHERE, ORDER BY or the end of the query" if not q.order and
                      not q.conditions else "AND, ORDER BY or the end of the query")
        return q

    def condition(self, q):
        token = self.tok
        if token.kind == "punct" and token.value == "(":
            self.take()
            self.condition(q)
            while self.accept_kw("AND"):
                self.condition(q)
            self.expect_punct(")")
            return
        if token.kind == "kw" and token.value == "CONTAINS":
            cone = self.contains()
            if self.tok.kind != "op" or self.tok.value != "=":
                self.fail("'= 1' after CONTAINS(...)")
            self.take()
            value = self.number()
            if value != 1:
                raise AdqlError("Only CONTAINS(...) = 1 is supported by this sandbox",
                                self.text, token.pos)
            q.conditions.append(cone)
            return
        if token.kind == "num":
            value = self.number()
            if value != 1 or self.tok.kind != "op" or self.tok.value != "=":
                self.fail("a column name or CONTAINS", token)
            self.take()
            if not (self.tok.kind == "kw" and self.tok.value == "CONTAINS"):
                self.fail("CONTAINS")
            q.conditions.append(self.contains())
            return
        column, pos = self.name("a column name or CONTAINS")
        if self.accept_kw("IS"):
            negate = bool(self.accept_kw("NOT"))
            self.expect_kw("NULL")
            q.conditions.append(("notnull" if negate else "null", column, None, pos))
            return
        negate = bool(self.accept_kw("NOT"))
        if self.accept_kw("LIKE"):
            if self.tok.kind != "str":
                self.fail("a 'pattern' after LIKE")
            q.conditions.append(("notlike" if negate else "like", column, self.take().value, pos))
            return
        if negate:
            self.fail("LIKE after NOT")
        if self.tok.kind != "op":
            self.fail("a comparison operator (=, <>, <, >, <=, >=, LIKE, IS)")
        op = self.take().value
        if op == "!=":
            op = "<>"
        q.conditions.append((op, column, self.literal(), pos))

    def contains(self):
        start = self.expect_kw("CONTAINS")
        self.expect_punct("(")
        self.expect_kw("POINT")
        self.expect_punct("(")
        self.coord_system()
        racol, _ = self.name("the RA column")
        self.expect_punct(",")
        deccol, _ = self.name("the Dec column")
        self.expect_punct(")")
        self.expect_punct(",")
        self.expect_kw("CIRCLE")
        self.expect_punct("(")
        self.coord_system()
        ra = float(self.number())
        self.expect_punct(",")
        dec = float(self.number())
        self.expect_punct(",")
        radius_pos = self.tok.pos
        radius = float(self.number())
        self.expect_punct(")")
        self.expect_punct(")")
        if not -90.0 <= dec <= 90.0:
            raise AdqlError("CIRCLE declination %s is outside [-90, 90]" % dec, self.text,
                            start.pos)
        if radius < 0:
            raise AdqlError("CIRCLE radius must not be negative", self.text, radius_pos)
        return ("cone", racol, deccol, ra % 360.0, dec, radius, start.pos)

    def coord_system(self):
        """ADQL 2.0's optional coordinate-system string (ADQL 2.1 deprecates it)."""
        if self.tok.kind == "str":
            self.take()
            self.expect_punct(",")


def parse(text):
    """Parse ``text``; raises :class:`AdqlError`."""
    if not text or not text.strip():
        raise AdqlError("Empty query")
    return _Parser(text).parse()


def like_regex(pattern):
    """A compiled regex for an SQL LIKE pattern (case-insensitive, see tap.py)."""
    out = []
    for ch in pattern:
        if ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)
