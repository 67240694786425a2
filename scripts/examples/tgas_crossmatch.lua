#!/usr/bin/env mast
-- tgas_crossmatch: a port of tgas_crossmatch() from MAST's "API examples in Python" page.
-- TGAS sources within 0.2 degrees of (211.09, 54.3228) (Mast.Tgas.Crossmatch).
-- Fixes: none needed.
local mast = require "mast"

local matches = mast.crossmatch.tgas {
  data = { { ra = 211.09, dec = 54.3228 } }, radius = 0.2,
}
print(mast.summary(matches, {
  columns = { "ra", "dec", "source_id", "hip", "match_ra", "match_dec", "phot_g_mean_mag", "MatchDistance" },
}))
