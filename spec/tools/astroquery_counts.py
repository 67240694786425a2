#!/usr/bin/python3
"""astroquery_counts.py: Observations.query_criteria_count for each criteria set.

Reads a JSON list of criteria objects on stdin; prints a JSON list of counts (or
{"error": text}) in the same order. astroquery must already be pointed at the
server (XDG_CONFIG_HOME/astropy/astroquery.cfg, [mast] server = ...).
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")
from astroquery.mast import Observations  # noqa: E402

out = []
for criteria in json.load(sys.stdin):
    try:
        out.append(int(Observations.query_criteria_count(**criteria)))
    except Exception as exc:  # the spec reports it
        out.append({"error": "%s: %s" % (type(exc).__name__, exc)})
print(json.dumps(out))
