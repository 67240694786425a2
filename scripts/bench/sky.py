"""Benchmark 8 helper: `sky.py [N] [RUNS]` cross-matches N random positions
against N (radius 1 arcsec) with astropy: match_coordinates_sky (nearest,
then the separations under the radius kept) and search_around_sky (all
pairs), each run on new SkyCoord objects with storekdtree=False, so that the
k-d tree is built in every run as mast builds its zones. The positions are
sky.lua's (the same splitmix64 counter generator). Only the match is timed;
one warm-up run first. Prints mode=<nearest|all> seconds=a,b,... matches=M."""

import sys
import time

import numpy as np
from astropy import units as u
from astropy.coordinates import SkyCoord, match_coordinates_sky, search_around_sky

M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def unif(k):
    """splitmix64 of the counters k (uint64 array), as floats in [0, 1)."""
    with np.errstate(over="ignore"):
        z = (k + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def side(n, which):
    k = np.arange(n, dtype=np.uint64) * np.uint64(4) + np.uint64(2 * which)
    return unif(k) * 360, np.degrees(np.arcsin(2 * unif(k + np.uint64(1)) - 1))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    ra_a, dec_a = side(n, 0)
    ra_b, dec_b = side(n, 1)
    planted = np.arange(99, n, 100)
    ra_b[planted] = ra_a[planted]
    d = dec_a[planted]
    dec_b[planted] = np.where(d > 89, d - 0.5 / 3600, d + 0.5 / 3600)
    radius = 1 * u.arcsec

    def nearest(a, b):
        _, d2, _ = match_coordinates_sky(a, b, storekdtree=False)
        return int((d2 <= radius).sum())

    def every(a, b):
        ia, _, _, _ = search_around_sky(a, b, radius, storekdtree=False)
        return len(ia)

    for mode, fn in (("nearest", nearest), ("all", every)):
        times = []
        for run in range(runs + 1):
            a = SkyCoord(ra_a * u.deg, dec_a * u.deg)
            b = SkyCoord(ra_b * u.deg, dec_b * u.deg)
            t = time.perf_counter()
            m = fn(a, b)
            dt = time.perf_counter() - t
            if run:
                times.append("%.6f" % dt)
        print("mode=%s seconds=%s matches=%d" % (mode, ",".join(times), m))


if __name__ == "__main__":
    main()
