#!/usr/bin/env mast
-- tgas_cone_search: a port of tgas_cone_search() from MAST's "API examples in Python" page.
-- Tycho-Gaia (TGAS) sources within 0.2 degrees of (254.28746, -4.09933)
-- (Mast.Catalogs.Tgas.Cone), with MAST's per-request wait set to 10 s.
-- Fixes: none needed.
local mast = require "mast"

local sources = mast.catalogs.tgas_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, timeout = 10 }
print(mast.summary(sources, {
  columns = { "source_id", "hip", "tycho2_id", "ra", "dec", "phot_g_mean_mag", "parallax", "distance" },
}))
