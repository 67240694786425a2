"""Benchmark 4 (astroquery side): the same N products with download_products.
usage: downloads.py DIR [N [SIZE]]; prints the time of download_products."""
import sys
import time

from astropy.table import Table
from astroquery.mast import Observations

directory = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
size = int(sys.argv[3]) if len(sys.argv) > 3 else 1048576
names = ["f%03d.fits" % i for i in range(1, n + 1)]
products = Table({"dataURI": ["mast:SANDBOX/size/%d/%s" % (size, name) for name in names],
                  "productFilename": names, "obs_collection": ["SANDBOX"] * n,
                  "obs_id": ["bench"] * n, "size": [size] * n})
t = time.perf_counter()
manifest = Observations.download_products(products, download_dir=directory, cache=False)
seconds = time.perf_counter() - t
bad = [row["Local Path"] for row in manifest if row["Status"] != "COMPLETE"]
if bad:
    sys.exit("not COMPLETE: %s" % ", ".join(bad[:5]))
print("seconds=%.6f files=%d" % (seconds, len(manifest)))
