#!/usr/bin/env python3
"""Regenerate spec/fuzz/corpus/json/ from the recorded MAST fixtures plus
hand-written edge cases. Small fixtures are copied whole; big ones (> 16 KiB)
contribute valid sub-documents and a raw prefix. Deterministic output.

usage: python3 spec/fuzz/make_corpus.py   (from the repository root)
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "sandbox", "fixtures", "mast-recorded")
OUT = os.path.join(ROOT, "spec", "fuzz", "corpus", "json")
BIG = 16 * 1024

EDGE = [
    b"", b" ", b"null", b"true", b"false", b"0", b"-0", b"-0.0", b"1e308", b"1e309",
    b"5e-324", b"2.2250738585072011e-308", b"1.7976931348623157e308", b"0.1",
    b"9223372036854775807", b"-9223372036854775808", b"9223372036854775808",
    b"18446744073709551616", b"5853498713190525696", b"123456789012345678901234567890",
    b"1.00000000000000011102230246251565404236316680908203125", b"01", b"1.", b"1e", b"-",
    b"[]", b"{}", b"[[]]", b"{\"a\":{}}", b"[1,2,3]", b"[1,]", b"{\"a\":1,}", b"{\"a\" 1}",
    b"[" * 1001 + b"]" * 1001, b"[" * 1000 + b"]" * 1000,
    b"\"\\u0041\\u00e9\\u20ac\"", b"\"\\ud83d\\ude00\"", b"\"\\ud83d\"", b"\"\\ude00\"",
    b"\"\\ud83d\\u0041\"", b"\"\\u0000\"", b"\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
    "\"\U0001F600 caf\u00e9\"".encode(), b"\"\xc0\xaf\"", b"\"\xed\xa0\x80\"", b"\"\xff\"",
    b"\"\xf4\x90\x80\x80\"", b"\"\xe2\x82\"", b"\"a\x01b\"", b"\xef\xbb\xbf{\"a\":1}",
    b"{\"a\":1,\"a\":2}", b"[{\"k\":\"v\"},{\"k\":\"v\"},{\"k\":\"w\",\"j\":1},{\"j\":2}]",
    b"[{\"k\\\"\":\"a\\\"b\"},{\"k\\\"\":\"a\\\"b\"},{\"k\\\"x\":\"a\\\\\"}]",
    b"{\"status\" : \"COMPLETE\",\"msg\" : \"\",\"data\":[],\"fields\":[],"
    b"\"paging\":{\"page\":1,\"pageSize\":50000,\"rows\":0}}",
    b"[[1,\"a\",null],[2,\"b\",true],[3,\"a\",false]]", b"{\"a\":[1,{\"b\":nul}]}",
    # subnormals and near-halfway values (the scanner's rounding below 2^-1022)
    b"[4.9406564584124654e-324,2.4703282292062328e-324,1.5e-323,2.2250738585072009e-308,"
    b"6.9533558078350043e-310,123456789012345678901234567890e-330,0.1e-310,-1e-400]",
]


def write(name, data, seen):
    if data in seen:
        return 0
    seen.add(data)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    return len(data)


def pieces(doc):
    """Small valid sub-documents of a big one: first elements of long arrays."""
    out = []

    def walk(v, depth):
        if depth > 6 or len(out) > 6:
            return
        if isinstance(v, list) and v:
            out.append(json.dumps(v[:2], separators=(",", ":")).encode())
            walk(v[0], depth + 1)
        elif isinstance(v, dict):
            for k in list(v)[:8]:
                walk(v[k], depth + 1)

    walk(doc, 0)
    return [p for p in out if len(p) <= BIG]


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    seen, total = set(), 0
    for i, e in enumerate(EDGE):
        total += write("edge-%02d" % i, e, seen)
    for dirpath, _, files in sorted(os.walk(FIX)):
        for f in sorted(files):
            if not (f.endswith(".json") or f.endswith(".extjs")):
                continue
            path = os.path.join(dirpath, f)
            tag = os.path.relpath(path, FIX).replace(os.sep, "_")
            data = open(path, "rb").read()
            if len(data) <= BIG:
                total += write("fix-" + tag, data, seen)
                continue
            total += write("prefix-" + tag, data[:4096], seen)
            for j, p in enumerate(pieces(json.loads(data))):
                total += write("piece-%d-%s" % (j, tag), p, seen)
    print("%d files, %d bytes" % (len(seen), total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
