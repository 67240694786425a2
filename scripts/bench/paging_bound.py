"""Benchmark 3 (the bound): the requests mast.query_all makes for the Gaia DR2
cone, made by curl in the same pattern -- page 1, then pages 2-4 at once
(curl --parallel), each over its own connection -- and the bodies discarded.
Two round trips plus the transfer: what a client can at best do. Prints the
time. usage: python3 paging_bound.py BASE_URL"""

import json
import subprocess
import sys
import time

base = sys.argv[1].rstrip("/")


def args(page):
    request = {"service": "Mast.Catalogs.GaiaDR2.Cone", "format": "json", "page": page,
               "pagesize": 50000, "params": {"ra": 10, "dec": 20, "radius": 1.125}}
    return ["-s", "-S", "-f", "--data-urlencode", "request=" + json.dumps(request), "-o", "/dev/null",
            base + "/api/v0/invoke"]


t = time.monotonic()
subprocess.run(["curl"] + args(1), check=True)
rest = ["curl", "--parallel", "--parallel-max", "3"]
for page in (2, 3, 4):
    rest += (["--next"] if page > 2 else []) + args(page)
subprocess.run(rest, check=True)
print("seconds=%.6f" % (time.monotonic() - t))
