"""Access to the recorded MAST responses under sandbox/fixtures/mast-recorded.

The files are served byte for byte; they are also parsed once to build
indexes (recorded observations and products, resolver entries) so that the
synthetic services stay consistent with them.
"""

import functools
import json
import os

from . import FIXTURE_DIR

MAIN = "astroquery-main"


@functools.lru_cache(maxsize=None)
def raw(name, folder=MAIN):
    """The bytes of a fixture file."""
    with open(os.path.join(FIXTURE_DIR, folder, name), "rb") as handle:
        return handle.read()


@functools.lru_cache(maxsize=None)
def parsed(name, folder=MAIN):
    """A fixture file parsed as JSON."""
    return json.loads(raw(name, folder).decode("utf-8"))


# ---------------------------------------------------------------- observations


@functools.lru_cache(maxsize=None)
def _recorded_observations():
    """obsid -> dict of columns, from every recorded CAOM result."""
    index = {}
    for name in ("caom.json", "advSearch.json", "advSearchPos.json"):
        for row in parsed(name)["data"]:
            obs = dict(row)
            obs["stem"] = obs["obs_id"].lower() if obs["obs_collection"] == "HST" else obs["obs_id"]
            index.setdefault(int(row["obsid"]), obs)
    return index


@functools.lru_cache(maxsize=None)
def _recorded_stems():
    return {(obs["obs_collection"], obs["stem"]): obs for obs in _recorded_observations().values()}


def recorded_observation(obsid):
    try:
        return _recorded_observations().get(int(obsid))
    except (TypeError, ValueError):
        return None


def recorded_observation_by_stem(collection, stem):
    return _recorded_stems().get((collection, stem))


# ---------------------------------------------------------------- products


@functools.lru_cache(maxsize=None)
def _recorded_products():
    from .products import SPEC
    names = [item[0] for item in SPEC]
    index = {}
    for row in parsed("products.json")["data"]:
        values = dict(row)
        values.setdefault("parent_obsid", row["obsID"])
        values.setdefault("dataRights", "PUBLIC")
        values.setdefault("calib_level", None)
        index[row["dataURI"]] = tuple(values.get(name) for name in names)
    return index


def recorded_product(uri):
    """Row (products SPEC order) of a product listed in products.json, or None."""
    return _recorded_products().get(uri)


def recorded_products_of(obsid):
    """Rows of products.json when ``obsid`` is the observation it lists."""
    if obsid != RECORDED_PRODUCTS_OBSID:
        return []
    return list(_recorded_products().values())


RECORDED_PRODUCTS_OBSID = 2003738726


# ---------------------------------------------------------------- resolver


@functools.lru_cache(maxsize=None)
def _resolver_entries():
    """lower-cased name -> list of resolver entries (astroquery-main/resolver.json)."""
    index = {}
    for entry in parsed("resolver.json")["resolvedCoordinate"]:
        index.setdefault(entry["searchString"].lower(), []).append(entry)
    return index


def resolver_entries(name):
    return _resolver_entries().get(" ".join(name.lower().split()))


RESOLVER_M103 = ("resolver.json", "astroquery-history/2ab04bcbf")
