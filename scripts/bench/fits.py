"""Benchmark 8 helper: `fits.py gen FILE [MB]` writes one generated catalogue as a
FITS binary table of about MB megabytes (default 100: long id, double ra/dec, three
float mags with NaN nulls, an int flag with a TNULL, an 8-character name, a logical);
`fits.py astropy FILE RUNS` times astropy.io.fits reading it fully materialised, two
ways, in this process (one warm-up first): `table` = Table.read (typed columns,
units, masked nulls: what a mast.Table is), `data` = fits.open(...)[1].data with
every column turned into a numpy array (np.array(data[c])), `lists` = Table.read
then every column as Python values (.tolist(): one object a value, as mast makes
one Lua value a value; the like-for-like figure). Prints
how=<table|data|lists> seconds=a,b,... rows=N."""

import sys
import time

import numpy as np
from astropy.io import fits
from astropy.table import Table

ROW_BYTES = 8 + 8 + 8 + 4 * 3 + 4 + 8 + 1


def gen(path, mb):
    n = int(mb * 1e6) // ROW_BYTES
    rnd = np.random.default_rng(7)
    mags = [rnd.uniform(10, 22, n).astype(np.float32) for _ in range(3)]
    for m in mags:
        m[rnd.random(n) < 0.1] = np.nan
    flag = rnd.integers(0, 1000, n, dtype=np.int32)
    flag[rnd.random(n) < 0.05] = -1
    names = np.char.add("J", rnd.integers(0, 10 ** 7, n).astype("U7"))
    cols = [
        fits.Column(name="id", format="K", array=5853498713190525697 + np.arange(n, dtype=np.int64)),
        fits.Column(name="ra", format="D", unit="deg", array=rnd.uniform(0, 360, n)),
        fits.Column(name="dec", format="D", unit="deg", array=rnd.uniform(-90, 90, n)),
        fits.Column(name="gmag", format="E", unit="mag", array=mags[0]),
        fits.Column(name="rmag", format="E", unit="mag", array=mags[1]),
        fits.Column(name="imag", format="E", unit="mag", array=mags[2]),
        fits.Column(name="flag", format="J", null=-1, array=flag),
        fits.Column(name="name", format="8A", array=names),
        fits.Column(name="ok", format="L", array=rnd.random(n) < 0.5),
    ]
    fits.BinTableHDU.from_columns(cols, name="CATALOG").writeto(path, overwrite=True)
    print("rows=%d" % n)


def astropy(path, runs):
    def table():
        t = Table.read(path, hdu=1)
        return len(t)

    def data():
        with fits.open(path, memmap=False) as h:
            d = h[1].data
            cols = [np.array(d[c]) for c in d.columns.names]
            return len(cols[0])

    def lists():
        t = Table.read(path, hdu=1)
        cols = [t[c].tolist() for c in t.colnames]
        return len(cols[0])

    for name, f in (("table", table), ("data", data), ("lists", lists)):
        f()
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            n = f()
            times.append("%.6f" % (time.perf_counter() - t))
        print("how=%s seconds=%s rows=%d" % (name, ",".join(times), n))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 100)
    else:
        astropy(sys.argv[2], int(sys.argv[3]))
