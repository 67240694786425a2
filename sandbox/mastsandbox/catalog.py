"""Machinery of the deterministic synthetic catalogues.

Each catalogue has one or more *tiers*.  A tier is a :class:`~.sky.Grid`
plus a source density; the sources of a cell are generated from a random
generator seeded by (catalogue, tier, cell number), so any cone anywhere has
data and the same query always yields the same rows.  Densities are raised
inside a few well-known targets (M101, M10, M15, ...), as real archives are
denser where telescopes pointed.

Tiers exist so that all-sky filtered queries (no position) have a finite
universe to search: the coarse "all-sky" tier of a catalogue is small enough
to enumerate completely, the dense "local" tier is only reachable through a
position.  Cone searches see both.
"""

import collections
import threading

from .sky import Grid, angular_distance, poisson, random_point, rng_for
from .table import Field, Table

#: (name, ra, dec, radius in degrees) of places where catalogues get denser.
TARGETS = (
    ("M101", 210.80227, 54.34895, 0.25),
    ("M10", 254.28746, -4.09933, 0.1),
    ("M15", 322.49304, 12.16700, 0.1),
    ("M103", 23.34086, 60.658, 0.1),
    ("M1", 83.6324, 22.0174, 0.06),
    ("M8", 270.925, -24.38, 0.3),
    ("M78", 86.6909, 0.079, 0.15),
    ("Barnard's Star", 269.45208, 4.69336, 0.02),
    ("L 98-59", 124.53176, -68.313, 0.02),
)


def target_boost(ra, dec, boosts):
    """Density multiplier at (ra, dec) for a catalogue's ``{target: factor}``."""
    factor = 1.0
    for name, t_ra, t_dec, radius in TARGETS:
        extra = boosts.get(name)
        if extra and abs(dec - t_dec) < radius and angular_distance(ra, dec, t_ra, t_dec) < radius:
            factor += extra
    return factor


class Tier:
    """A layer of a catalogue: a grid and a source density per square degree."""

    def __init__(self, name, cell_size, density, max_per_cell, boosted=True):
        self.name = name
        self.grid = Grid(cell_size)
        self.density = density
        self.max_per_cell = max_per_cell
        self.boosted = boosted


class _SourceCache:
    """Process-wide LRU of generated cells, capped by the number of sources."""

    def __init__(self, max_sources):
        self.max_sources = max_sources
        self.size = 0
        self.cells = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.cells.get(key)
            if value is not None:
                self.cells.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            if key in self.cells:
                return
            self.cells[key] = value
            self.size += len(value) + 1
            while self.size > self.max_sources and len(self.cells) > 1:
                _, old = self.cells.popitem(last=False)
                self.size -= len(old) + 1


CELL_CACHE = _SourceCache(600_000)


class Catalog:
    """Base class of a synthetic catalogue.

    Subclasses set ``name``, ``spec`` (``[(column, type[, fmt])]``),
    ``hidden`` (columns that filters may use but results never show),
    ``tiers``, ``boosts``, the distance column (``distance_name``,
    ``distance_scale`` = units per degree) and implement :meth:`make_row`.
    """

    name = ""
    seed_name = None
    spec = ()
    hidden = ()
    tiers = ()
    boosts = {}
    distance_name = "distance"
    distance_scale = 3600.0
    distance_fmt = None
    distance_at = None  # where the distance column goes (None = last)

    def __init__(self):
        self.fields = [Field(*item) for item in self.spec]
        dist_field = Field(self.distance_name, "float", self.distance_fmt)
        at = len(self.fields) if self.distance_at is None else self.distance_at % len(self.fields)
        self._dist_pos = at
        self.cone_fields = self.fields[:at] + [dist_field] + self.fields[at:]
        self._all_sky = {}
        self._all_sky_lock = threading.Lock()

    # -- to be provided by subclasses ------------------------------------

    def make_row(self, rng, ra, dec, tier, cell, k):
        """Return the row tuple (aligned with ``self.fields``) of one source."""
        raise NotImplementedError

    def accept(self, row):
        """Whether a generated source belongs to this catalogue (CTL ⊂ TIC)."""
        return True

    # -- generation --------------------------------------------------------

    def cell_sources(self, tier, cell):
        """[(ra, dec, row), ...] of one cell, generated once and cached."""
        key = (self.name, tier.name, cell)
        cached = CELL_CACHE.get(key)
        if cached is not None:
            return cached
        rng = rng_for(self.seed_name or self.name, tier.name, cell)
        bounds = tier.grid.bounds(cell)
        lam = tier.density * tier.grid.area(cell)
        if tier.boosted and self.boosts:
            lam *= target_boost((bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2,
                                self.boosts)
        count = min(poisson(rng, lam), tier.max_per_cell)
        sources = []
        for k in range(count):
            ra, dec = random_point(rng, bounds)
            row = self.make_row(rng, ra, dec, tier, cell, k)
            if self.accept(row):
                sources.append((ra, dec, row))
        CELL_CACHE.put(key, sources)
        return sources

    def cone(self, ra, dec, radius, limit=None):
        """Sources within ``radius`` degrees: [(distance_deg, row)] sorted."""
        found = []
        for tier in self.tiers:
            for cell in tier.grid.cells_in_cone(ra, dec, radius):
                for s_ra, s_dec, row in self.cell_sources(tier, cell):
                    if abs(s_dec - dec) > radius:
                        continue
                    dist = angular_distance(ra, dec, s_ra, s_dec)
                    if dist <= radius:
                        found.append((dist, row))
        found.sort(key=lambda item: item[0])
        if limit is not None:
            found = found[:limit]
        return found

    def cone_table(self, ra, dec, radius, limit=None):
        """A :class:`Table` of a cone search with the distance column appended."""
        scale = self.distance_scale
        at = self._dist_pos
        found = self.cone(ra, dec, radius, limit)
        if at == len(self.fields):
            rows = [row + (dist * scale,) for dist, row in found]
        else:
            rows = [row[:at] + (dist * scale,) + row[at:] for dist, row in found]
        return Table(self.cone_fields, rows)

    def all_sky_rows(self, tier_name="allsky"):
        """Every row of the named (coarse) tier, generated once per process."""
        with self._all_sky_lock:
            rows = self._all_sky.get(tier_name)
            if rows is None:
                tier = next(t for t in self.tiers if t.name == tier_name)
                rows = [row for cell in tier.grid.all_cells()
                        for _, _, row in self.cell_sources(tier, cell)]
                self._all_sky[tier_name] = rows
            return rows

    def all_sky_table(self):
        return Table(self.fields, self.all_sky_rows())


def pick(rng, weighted):
    """Choose from ``[(item, weight), ...]``."""
    total = sum(w for _, w in weighted)
    x = rng.random() * total
    for item, weight in weighted:
        x -= weight
        if x < 0:
            return item
    return weighted[-1][0]


def maybe(rng, probability, value):
    """``value`` with the given probability, else None (a null)."""
    return value if rng.random() < probability else None


B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def base36(n, width):
    """Upper-case base-36 of ``n`` left-padded to ``width``."""
    digits = []
    while n:
        n, r = divmod(n, 36)
        digits.append(B36[r])
    return "".join(reversed(digits)).rjust(width, "0")
