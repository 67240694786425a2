"""Benchmark 3 (astroquery side): the same Gaia DR2 cone, every page.
Prints the time of the query itself (the import is benchmark 1)."""
import time

import astropy.units as u
from astropy.coordinates import SkyCoord
from astroquery.mast import Catalogs

centre = SkyCoord(10, 20, unit="deg")
t = time.perf_counter()
r = Catalogs.query_region(centre, radius=1.125 * u.deg, catalog="Gaia", version=2)
print("seconds=%.6f rows=%d" % (time.perf_counter() - t, len(r)))
