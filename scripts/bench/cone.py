"""Benchmark 2 (astroquery side): the same CAOM cone search, end to end."""
import astropy.units as u
from astropy.coordinates import SkyCoord
from astroquery.mast import Observations

r = Observations.query_region(SkyCoord(254.28746, -4.09933, unit="deg"), radius=0.2 * u.deg)
print("rows=%d" % len(r))
