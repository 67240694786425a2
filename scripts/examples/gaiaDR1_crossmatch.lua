#!/usr/bin/env mast
-- gaiaDR1_crossmatch: a port of gaiaDR1_crossmatch() from MAST's "API examples in Python" page.
-- Gaia DR1 sources within 0.1 degrees of (210.8, 54.3) (Mast.GaiaDR1.Crossmatch).
-- Fixes: none needed.
local mast = require "mast"

local matches = mast.crossmatch.gaia_dr1 {
  data = { { ra = 210.8, dec = 54.3 } }, radius = 0.1,
}
print(mast.summary(matches, {
  columns = { "ra", "dec", "source_id", "match_ra", "match_dec", "phot_g_mean_mag", "MatchDistance" },
}))
