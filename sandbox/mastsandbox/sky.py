"""Spherical geometry and the sky grid the synthetic catalogues live on.

The sphere is cut into declination bands of equal height; each band is cut
into right-ascension cells of about the same angular width, so cells have
roughly equal area.  A cell is identified by a single integer (its *cell
number*), from which ids are derived, so an id can be traced back to the
cell that generated it.
"""

import bisect
import hashlib
import math
import random

DEG = math.pi / 180.0


def angular_distance(ra1, dec1, ra2, dec2):
    """Great-circle distance in degrees (haversine, exact for small angles)."""
    p1 = dec1 * DEG
    p2 = dec2 * DEG
    s = (math.sin((p2 - p1) / 2.0) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin((ra2 - ra1) * DEG / 2.0) ** 2)
    return 2.0 * math.asin(min(1.0, math.sqrt(s))) / DEG


def seed_of(*parts):
    """A 64-bit integer seed from any printable parts (stable across runs)."""
    text = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def rng_for(*parts):
    """A ``random.Random`` seeded from ``parts``."""
    return random.Random(seed_of(*parts))


def poisson(rng, lam):
    """A Poisson-distributed count (normal approximation above 30)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit = math.exp(-lam)
    k, p = 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class Grid:
    """A partition of the sphere into cells about ``size`` degrees across."""

    def __init__(self, size):
        self.nbands = max(1, int(math.ceil(180.0 / size)))
        self.height = 180.0 / self.nbands
        self.nra = []
        self.offset = []
        total = 0
        for band in range(self.nbands):
            lo = -90.0 + band * self.height
            centre = lo + self.height / 2.0
            count = max(1, int(round(360.0 * math.cos(centre * DEG) / self.height)))
            self.nra.append(count)
            self.offset.append(total)
            total += count
        self.ncells = total

    def band_and_index(self, number):
        band = bisect.bisect_right(self.offset, number) - 1
        return band, number - self.offset[band]

    def bounds(self, number):
        """(ra_lo, ra_hi, dec_lo, dec_hi) of a cell, degrees."""
        band, j = self.band_and_index(number)
        width = 360.0 / self.nra[band]
        dec_lo = -90.0 + band * self.height
        return j * width, (j + 1) * width, dec_lo, dec_lo + self.height

    def area(self, number):
        """Solid angle of a cell in square degrees."""
        ra_lo, ra_hi, dec_lo, dec_hi = self.bounds(number)
        return ((math.sin(dec_hi * DEG) - math.sin(dec_lo * DEG))
                * (ra_hi - ra_lo) * DEG / (DEG * DEG))

    def cells_in_cone(self, ra, dec, radius):
        """Numbers of all cells that may intersect the cone."""
        radius = min(max(radius, 0.0), 180.0)
        dec_lo = max(-90.0, dec - radius)
        dec_hi = min(90.0, dec + radius)
        b_lo = min(self.nbands - 1, int((dec_lo + 90.0) / self.height))
        b_hi = min(self.nbands - 1, int((dec_hi + 90.0) / self.height))
        if abs(dec) + radius >= 89.999 or radius >= 90:
            half = 180.0
        else:
            ratio = math.sin(radius * DEG) / math.cos(dec * DEG)
            half = 180.0 if ratio >= 1 else math.asin(ratio) / DEG
        out = []
        for band in range(b_lo, b_hi + 1):
            n = self.nra[band]
            if half >= 180.0:
                out.extend(self.offset[band] + j for j in range(n))
                continue
            width = 360.0 / n
            lo = (ra - half) % 360.0
            j_lo = int(lo / width)
            span = int(math.ceil((2 * half) / width)) + 1
            seen = set()
            for step in range(min(span + 1, n)):
                j = (j_lo + step) % n
                if j not in seen:
                    seen.add(j)
                    out.append(self.offset[band] + j)
        return out

    def all_cells(self):
        return range(self.ncells)


def random_point(rng, bounds):
    """A point uniformly distributed (on the sphere) inside cell ``bounds``."""
    ra_lo, ra_hi, dec_lo, dec_hi = bounds
    s_lo = math.sin(dec_lo * DEG)
    s_hi = math.sin(dec_hi * DEG)
    ra = ra_lo + (ra_hi - ra_lo) * rng.random()
    dec = math.asin(s_lo + (s_hi - s_lo) * rng.random()) / DEG
    return ra, dec


def galactic(ra, dec):
    """Equatorial (J2000) to galactic coordinates, degrees."""
    ra_gp, dec_gp, l_ncp = 192.85948 * DEG, 27.12825 * DEG, 122.93192 * DEG
    r, d = ra * DEG, dec * DEG
    sin_b = (math.sin(d) * math.sin(dec_gp)
             + math.cos(d) * math.cos(dec_gp) * math.cos(r - ra_gp))
    b = math.asin(max(-1.0, min(1.0, sin_b)))
    y = math.cos(d) * math.sin(r - ra_gp)
    x = math.sin(d) * math.cos(dec_gp) - math.cos(d) * math.sin(dec_gp) * math.cos(r - ra_gp)
    lon = (l_ncp - math.atan2(y, x)) / DEG % 360.0
    return lon, b / DEG


def ecliptic(ra, dec):
    """Equatorial (J2000) to ecliptic coordinates, degrees."""
    eps = 23.4392911 * DEG
    r, d = ra * DEG, dec * DEG
    sin_b = math.sin(d) * math.cos(eps) - math.cos(d) * math.sin(eps) * math.sin(r)
    b = math.asin(max(-1.0, min(1.0, sin_b)))
    lon = math.atan2(math.sin(r) * math.cos(eps) + math.tan(d) * math.sin(eps), math.cos(r))
    return lon / DEG % 360.0, b / DEG
