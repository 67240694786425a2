#!/usr/bin/env mast
-- twoMass_crossmatch: a port of twoMass_crossmatch() from MAST's "API examples in Python" page.
-- 2MASS point sources within 0.04 degrees of (210.88447, 54.332) (Mast.2Mass.Crossmatch, 1000 rows a page).
-- Fixes: none needed.
local mast = require "mast"

local matches = mast.crossmatch.twomass {
  data = { { ra = 210.88447, dec = 54.332 } }, radius = 0.04,
  pagesize = 1000, page = 1,
}
print(mast.summary(matches, {
  columns = { "ra", "dec", "designation", "match_ra", "match_dec", "j_m", "h_m", "k_m", "MatchDistance" },
}))
