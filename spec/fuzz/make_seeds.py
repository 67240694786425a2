#!/usr/bin/env python3
"""Regenerate the seed corpora of the non-JSON fuzz targets, deterministically,
from the recorded MAST fixtures and the examples page's requests:

  corpus/request/    fuzz_request:   every request of MAST's "API examples in
                     Python" page (sandbox/tests/examples_page.py) written in the
                     target's builder ops, plus a few that must be refused
  corpus/urlencode/  fuzz_urlencode: dataURIs, obs_ids, file names and service
                     names from the fixtures in each encoding mode, and
                     token/message pairs for the scrubber
  corpus/names/      fuzz_names:     (obs_collection, obs_id, productFilename) of
                     the recorded product lists, and hostile names
  corpus/archive/    fuzz_extract:   small tar, tar.gz and zip files: ordinary
                     bundles (mastDownload/<coll>/<id>/<file>), the recorded
                     astrocut zip, and every hostile kind (absolute, '..',
                     links out, links through links, links below links, hard
                     links out, devices, FIFOs)

usage: python3 spec/fuzz/make_seeds.py   (from anywhere)
"""
import gzip
import io
import json
import math
import os
import struct
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIX = os.path.join(ROOT, "sandbox", "fixtures", "mast-recorded")
CORPUS = os.path.join(HERE, "corpus")

sys.path.insert(0, os.path.join(ROOT, "sandbox", "tests"))
import examples_page  # noqa: E402  (the page's requests)


def fresh(kind):
    d = os.path.join(CORPUS, kind)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    return d


def fixture(path):
    with open(os.path.join(FIX, path), "rb") as f:
        return json.loads(f.read())


# ---- fuzz_request: the builder ops (see fuzz_request.c) ----

WORDS = ["service", "params", "format", "pagesize", "page", "removenullcolumns", "timeout",
         "clearcache", "removecache", "cachebreaker", "cacheBreaker", "data", "filename",
         "filetype", "attachment", "columnsconfigid", "columnsconfig", "filters", "values",
         "fields", "paramName", "min", "max", "ra", "dec", "radius", "columns", "freeText",
         "separator", "position", "input", "json", "csv", "votable", "extjs", "Mast.Caom.Cone",
         "Mast.Name.Lookup", "Mast.Catalogs.Filtered.Tic", "Mast.Caom.Crossmatch", "name", "type",
         "float", "string", "raColumn", "decColumn", "obsid", "nr", "ni", "magtype",
         "COUNT_BIG(*)", "*", "", "M101", "caom", "serviice", "pagesize "]


def ops(v):
    if v is None:
        return bytes([6])
    if v is True:
        return bytes([4])
    if v is False:
        return bytes([5])
    if isinstance(v, int):
        if -128 <= v <= 127:
            return bytes([3, v & 0xFF])
        return bytes([1]) + struct.pack("<q", v)
    if isinstance(v, float):
        return bytes([2]) + struct.pack("<d", v)
    if isinstance(v, str):
        if v in WORDS:
            return bytes([12, WORDS.index(v)])
        b = v.encode("utf-8")
        assert len(b) <= 255, v
        return bytes([0, len(b)]) + b
    if isinstance(v, bytes):
        return bytes([0, len(v)]) + v
    if isinstance(v, list):
        return bytes([7]) + b"".join(ops(x) + bytes([9]) for x in v)
    if isinstance(v, dict):
        return bytes([7]) + b"".join(ops(k) + ops(x) + bytes([8]) for k, x in v.items())
    raise TypeError(type(v))


def request_seeds(out):
    n = 0
    for name, request, _ in examples_page.EXAMPLES:
        with open(os.path.join(out, "page-" + name), "wb") as f:
            f.write(ops(request))
        n += 1
    # a crossmatch whose data is a recorded answer (trimmed)
    caom = fixture("astroquery-main/caom.json")
    rows = [{k: r[k] for k in ("s_ra", "s_dec", "obs_id", "obsid")} for r in caom["data"][:3]]
    xm = {"service": "Mast.Caom.Crossmatch", "format": "json",
          "data": {"fields": [{"name": "s_ra", "type": "float"}, {"name": "s_dec", "type": "float"},
                              {"name": "obs_id", "type": "string"},
                              {"name": "obsid", "type": "string"}], "data": rows},
          "params": {"raColumn": "s_ra", "decColumn": "s_dec", "radius": 0.001}}
    special = {
        "crossmatch-recorded": ops(xm),
        "empty-values": ops({"service": "Mast.Caom.Filtered", "params": {"columns": "*", "filters": [
            {"paramName": "obs_collection", "values": [], "freeText": "%HST%"}]}}),
        "big-id": ops({"service": "Mast.Caom.Products", "params": {"obsid": 5853498713190525696}}),
        "floats": ops({"service": "Mast.Caom.Cone", "params": {"ra": 0.1, "dec": -0.0,
                                                               "radius": 5e-324}}),
        "unicode": ops({"service": "Mast.Name.Lookup", "params": {"input": "\u00e9toile \U0001F600"}}),
        # refused: a misspelt key, a non-table, NaN, invalid UTF-8, a cycle, mixed keys
        "misspelt": ops({"serviice": "Mast.Caom.Cone"}),
        "not-a-table": ops("Mast.Caom.Cone"),
        "nan": ops({"service": "Mast.Caom.Cone", "params": {"ra": math.nan}}),
        "bad-utf8": ops({"service": "Mast.Caom.Cone", "params": {"input": b"\xff\xfe"}}),
        "cycle": bytes([7, 12, 0, 12, 35, 8, 12, 1, 13, 1, 8]),
        "mixed": ops({"service": "Mast.Caom.Cone", "params": {1: 2, "a": 3}}),
        "marked": bytes([7, 12, 0, 12, 35, 8, 12, 1, 7, 12, 17, 7, 10, 8, 11, 8]),
        "long-string": bytes([7, 12, 0, 12, 35, 8, 12, 1, 7, 12, 30, 15, 0x00, 0x40, 0x78, 8, 8]),
    }
    for name, data in sorted(special.items()):
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(data)
        n += 1
    return n


# ---- fuzz_urlencode ----

def urlencode_seeds(out):
    products = fixture("astroquery-main/products.json")["data"]
    caom = fixture("astroquery-main/caom.json")["data"]
    texts = sorted({r["dataURI"] for r in products[:8]} | {r["obs_id"] for r in caom[:4]} |
                   {r["productFilename"] for r in products[:4]})
    texts += ["Mast.Caom.Cone", "mast:HST/product/a b+c&d=e?f#g%h.fits", "caf\u00e9 \U0001F600",
              "", "/", "~-._", "\x00\x01\x7f\xff"]
    n = 0
    for i, t in enumerate(texts):
        b = t.encode("utf-8", "surrogatepass") if isinstance(t, str) else t
        for mode in range(4):
            with open(os.path.join(out, "enc%d-%02d" % (mode, i)), "wb") as f:
                f.write(bytes([mode]) + b)
            n += 1
    scrub = [
        b"0123456789abcdef0123456789abcdef\nHTTP 401 Unauthorized: token "
        b"0123456789abcdef0123456789abcdef is not valid",
        b"abcd\nabcdabcdabcd",
        b"abc\nabc is too short to scrub",
        b"tok<\ntok<token>",
        b"sandbox-token\nno token here",
    ]
    for i, s in enumerate(scrub):
        with open(os.path.join(out, "scrub-%d" % i), "wb") as f:
            f.write(bytes([4]) + s)
        n += 1
    return n


# ---- fuzz_names ----

def names_seed(coll, obs_id, filename):
    c, o, f = (x if isinstance(x, bytes) else x.encode("utf-8") for x in (coll, obs_id, filename))
    return bytes([min(len(c), 255), min(len(o), 255)]) + c[:255] + o[:255] + f


def names_seeds(out):
    rows = []
    for path in ("astroquery-main/products.json", "astroquery-main/mission_products.json"):
        doc = fixture(path)
        for r in doc.get("data", doc.get("products", [])):
            if all(k in r for k in ("obs_collection", "obs_id", "productFilename")):
                rows.append((r["obs_collection"], r["obs_id"], r["productFilename"]))
    seen = sorted(set(rows))[:16]
    hostile = [("..", "x", "y"), ("HST", "../../etc", "passwd"), ("HST", "a", "/etc/passwd"),
               ("HST", ".", "f"), ("", "a", "b"), ("HST", "a\\..\\b", "f"), (b"H\x00ST", "a", "b"),
               ("HST", "a", "a/../../b"), ("HST", "a", "...")]
    n = 0
    for i, (c, o, f) in enumerate(seen + hostile):
        with open(os.path.join(out, "names-%02d" % i), "wb") as fh:
            fh.write(names_seed(c, o, f))
        n += 1
    return n


# ---- fuzz_extract ----

def tar_bytes(entries, gz=False, fmt=tarfile.GNU_FORMAT):
    """entries: (name, kind, data_or_target) with kind file|dir|sym|hard|fifo|chr."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=fmt) as t:
        for name, kind, arg in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = 1700000000
            ti.mode = 0o755 if kind == "dir" else 0o644
            if kind == "file":
                ti.size = len(arg)
                t.addfile(ti, io.BytesIO(arg))
                continue
            ti.type = {"dir": tarfile.DIRTYPE, "sym": tarfile.SYMTYPE, "hard": tarfile.LNKTYPE,
                       "fifo": tarfile.FIFOTYPE, "chr": tarfile.CHRTYPE}[kind]
            if kind in ("sym", "hard"):
                ti.linkname = arg
            t.addfile(ti)
    data = raw.getvalue()
    if gz:
        z = io.BytesIO()
        with gzip.GzipFile(fileobj=z, mode="wb", mtime=0, filename="") as g:
            g.write(data)
        data = z.getvalue()
    return data


def zip_bytes(entries):
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
        for name, kind, arg in entries:
            zi = zipfile.ZipInfo(name + ("/" if kind == "dir" else ""), (2024, 1, 1, 0, 0, 0))
            zi.create_system = 3
            if kind == "sym":
                zi.external_attr = (0o120777 << 16)
                z.writestr(zi, arg)
            elif kind == "dir":
                zi.external_attr = (0o40755 << 16) | 0x10
                z.writestr(zi, b"")
            else:
                zi.external_attr = (0o100644 << 16)
                z.writestr(zi, arg)
    return raw.getvalue()


FITS = b"SIMPLE  =                    T" + b" " * 50 + b"END" + b" " * 77
BUNDLE = [("mastDownload", "dir", None), ("mastDownload/HST", "dir", None),
          ("mastDownload/HST/u9o40504m", "dir", None),
          ("mastDownload/HST/u9o40504m/u9o40504m_c3m.fits", "file", FITS * 3),
          ("mastDownload/HST/u9o40504m/u9o40504m_drw.jpg", "file", b"\xff\xd8\xff" + b"j" * 200),
          ("mastDownload/MANIFEST.html", "file", b"<html><body>COMPLETE</body></html>\n")]
ABS = "/tmp/mast-fuzz-abs"

HOSTILE = {
    "absolute": [("ok.txt", "file", b"ok\n"), (ABS + "/x.txt", "file", b"escaped\n")],
    "dotdot": [("mastDownload/../../x.txt", "file", b"escaped\n")],
    "symlink-out": [("l", "sym", "../../x"), ("ok.txt", "file", b"ok\n")],
    "symlink-abs": [("l", "sym", ABS)],
    "below-link": [("sub", "dir", None), ("l", "sym", "sub"), ("l/x.txt", "file", b"x\n")],
    "below-later-link": [("l/x.txt", "file", b"x\n"), ("l", "sym", ".")],
    "chain": [("b", "sym", "."), ("a", "sym", "b/..")],
    "chain-later": [("a", "sym", "b/.."), ("b", "sym", ".")],
    "chain-hard": [("b", "sym", "."), ("a", "sym", "b/.."), ("h", "hard", "a/sentinel")],
    "hard-through-link": [("sub", "dir", None), ("sub/f", "file", b"f\n"), ("s", "sym", "sub"),
                          ("h", "hard", "s/f")],
    "hardlink-out": [("h", "hard", "../sentinel")],
    "hardlink-abs": [("h", "hard", "/etc/passwd")],
    "fifo": [("p", "fifo", None)],
    "chardev": [("c", "chr", None)],
    # issue 15 §5: names no listing survives, and a name given twice
    "newline": [("ok.txt", "file", b"ok\n"), ("evil\nname.txt", "file", b"x\n")],
    "bad-utf8": [("bad-\udcff\udcfe.txt", "file", b"x\n")],
    "duplicate": [("d", "dir", None), ("d/a.txt", "file", b"first\n"), ("d/a.txt", "file", b"second\n")],
}
# ordinary archives with links and odd names, which extract
BENIGN = {
    "symlink-inside": [("a.txt", "file", b"a\n"), ("d", "dir", None), ("d/l", "sym", "../a.txt")],
    "hardlink-inside": [("f", "file", b"f\n"), ("h", "hard", "f")],
    "link-to-link": [("f", "file", b"f\n"), ("a", "sym", "f"), ("b", "sym", "a")],
    "dot-entries": [("./", "dir", None), ("./a/./b.txt", "file", b"b\n")],
}
# archives that cannot be extracted whole, for no hostile reason (x is a file)
ODD = {
    "file-then-dir": [("x", "file", b"x\n"), ("x/y", "file", b"y\n")],
}


def archive_seeds(out):
    n = 0

    def put(name, data):
        nonlocal n
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        n += 1

    put("bundle.tar", tar_bytes(BUNDLE))
    put("bundle.tar.gz", tar_bytes(BUNDLE, gz=True))
    put("bundle.zip", zip_bytes(BUNDLE))
    put("pax-long.tar", tar_bytes([("d" * 120 + "/" + "f" * 150 + ".fits", "file", FITS)],
                                  fmt=tarfile.PAX_FORMAT))
    put("empty.tar", tar_bytes([]))
    put("truncated.tar.gz", tar_bytes(BUNDLE, gz=True)[:300])
    for name, entries in sorted(HOSTILE.items()):
        put("hostile-%s.tar" % name, tar_bytes(entries))
    for name, entries in sorted(BENIGN.items()):
        put("ok-%s.tar" % name, tar_bytes(entries))
    for name, entries in sorted(ODD.items()):
        put("odd-%s.tar" % name, tar_bytes(entries))
    for name in ("absolute", "dotdot", "symlink-out", "chain", "below-link"):
        put("hostile-%s.zip" % name, zip_bytes(HOSTILE[name]))
    put("hostile-chain.tar.gz", tar_bytes(HOSTILE["chain"], gz=True))
    with open(os.path.join(FIX, "astroquery-main", "astrocut_189.49206_62.20615_100x100px.zip"),
              "rb") as f:
        put("recorded-astrocut.zip", f.read())
    return n


def utf8_seeds(out):
    """Byte strings for fuzz_utf8: text in several scripts, every boundary
    code point, and every kind of invalid sequence."""
    seeds = {
        "text": "M31 caf\u00e9 \u0394\u03b1 \u65e5\u672c \U0001F600 \u00a9 end".encode(),
        "boundaries": "".join(chr(c) for c in (0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd,
                                               0xffff, 0x10000, 0x10ffff)).encode(),
        "overlong": b"\xc0\x80 \xc1\xbf \xe0\x80\x80 \xe0\x9f\xbf \xf0\x80\x80\x80 \xf0\x8f\xbf\xbf",
        "surrogates": b"\xed\xa0\x80 \xed\xbf\xbf \xed\x9f\xbf",
        "above": b"\xf4\x90\x80\x80 \xf5\x80\x80\x80 \xf8\x88\x80\x80\x80 \xff \xfe",
        "truncated": b"\xc3 \xe2\x82 \xf0\x9f\x98 end\xf0\x9f",
        "stray": b"\x80 \xbf a\x80\x80 \xc3\xa9\xa9",
        "cp-triples": bytes([0x00, 0x00, 0x7f, 0x00, 0x07, 0xff, 0x00, 0xff, 0xff,
                             0x10, 0xff, 0xff, 0x00, 0xd7, 0xff, 0x00, 0xe0, 0x00]),
    }
    for name, data in sorted(seeds.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return len(seeds)


def main():
    counts = {
        "request": request_seeds(fresh("request")),
        "urlencode": urlencode_seeds(fresh("urlencode")),
        "names": names_seeds(fresh("names")),
        "archive": archive_seeds(fresh("archive")),
        "utf8": utf8_seeds(fresh("utf8")),
    }
    for kind, n in counts.items():
        size = sum(os.path.getsize(os.path.join(CORPUS, kind, f))
                   for f in os.listdir(os.path.join(CORPUS, kind)))
        print("corpus/%s: %d files, %d bytes" % (kind, n, size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
