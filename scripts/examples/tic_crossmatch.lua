#!/usr/bin/env mast
-- tic_crossmatch: a port of tic_crossmatch() from MAST's "API examples in Python" page.
-- TIC stars within 0.2 degrees of (211.09, 54.3228) (Mast.Tic.Crossmatch).
-- Fixes: none needed.
local mast = require "mast"

local matches = mast.crossmatch.tic {
  data = { { ra = 211.09, dec = 54.3228 } }, radius = 0.2,
}
print(mast.summary(matches, { columns = { "ra", "dec", "ID", "match_ra", "match_dec", "Tmag", "MatchDistance" } }))
