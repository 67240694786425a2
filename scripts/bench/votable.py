"""Benchmark 7 helper: `votable.py gen DIR [ROWS]` writes one generated
catalogue table (long id, double ra/dec, float mags with nulls, short
strings) as TABLEDATA (t.vot), BINARY2 (t_b2.vot) and MAST-style JSON
(t.json) into DIR; `votable.py astropy FILE RUNS` times
astropy.io.votable.parse on FILE in this process (one warm-up first) and
prints seconds=a,b,... rows=N."""

import base64
import io
import json
import math
import random
import struct
import sys
import time

FIELDS = [("id", "long", None), ("ra", "double", None), ("dec", "double", None),
          ("gmag", "float", None), ("rmag", "float", None), ("imag", "float", None),
          ("name", "char", "*"), ("flag", "char", "4")]


def rows(n):
    rnd = random.Random(7)
    for i in range(n):
        mags = [None if rnd.random() < 0.1 else float(struct.unpack(">f", struct.pack(">f", rnd.uniform(10, 22)))[0])
                for _ in range(3)]
        yield [5853498713190525697 + i, rnd.uniform(0, 360), rnd.uniform(-90, 90)] + mags + [
            "J%07d" % rnd.randrange(10 ** 7), rnd.choice(["A", "AB", "C", "E"])]


def head(data):
    fields = "".join('<FIELD name="%s" datatype="%s"%s/>' % (n, t, ' arraysize="%s"' % a if a else "")
                     for n, t, a in FIELDS)
    return ('<?xml version="1.0"?>\n<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">'
            '<RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/><TABLE>%s<DATA>%s</DATA>'
            '</TABLE></RESOURCE></VOTABLE>\n' % (fields, data))


def gen(d, n):
    all_rows = list(rows(n))
    td = io.StringIO()
    td.write("<TABLEDATA>")
    for r in all_rows:
        td.write("<TR>" + "".join("<TD></TD>" if x is None else "<TD>%r</TD>" % x if isinstance(x, float)
                                  else "<TD>%s</TD>" % x for x in r) + "</TR>\n")
    td.write("</TABLEDATA>")
    with open(d + "/t.vot", "w") as f:
        f.write(head(td.getvalue()))
    b = io.BytesIO()
    for r in all_rows:
        mask = sum(0x80 >> j for j in range(len(r)) if r[j] is None)
        b.write(bytes([mask]) + struct.pack(">qdd", r[0], r[1], r[2]))
        for m in r[3:6]:
            b.write(struct.pack(">f", math.nan if m is None else m))
        b.write(struct.pack(">I", len(r[6])) + r[6].encode() + r[7].encode().ljust(4, b" "))
    with open(d + "/t_b2.vot", "w") as f:
        f.write(head('<BINARY2><STREAM encoding="base64">%s</STREAM></BINARY2>'
                     % base64.encodebytes(b.getvalue()).decode()))
    with open(d + "/t.json", "w") as f:
        json.dump({"fields": [{"name": n, "type": t} for n, t, _ in FIELDS],
                   "data": [dict(zip([n for n, _, _ in FIELDS], r)) for r in all_rows]}, f)
    print("rows=%d" % n)


def astropy(path, runs):
    from astropy.io.votable import parse
    import warnings
    warnings.simplefilter("ignore")
    times = []
    for i in range(runs + 1):
        t = time.perf_counter()
        table = parse(path).get_first_table()
        s = time.perf_counter() - t
        if i:
            times.append("%.6f" % s)
    print("seconds=%s rows=%d" % (",".join(times), len(table.array)))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 100000)
    else:
        astropy(sys.argv[2], int(sys.argv[3]))
