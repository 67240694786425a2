#!/usr/bin/env mast
-- hscMagAper2_crossmatch: a port of hscMagAper2_crossmatch() from MAST's "API examples in Python" page.
-- HSC v3 sources (aperture magnitudes) within 0.001 degrees of (210.8, 54.3)
-- (Mast.Hsc.Crossmatch.MagAper2v3, 1000 rows a page).
-- Fixes: none needed.
local mast = require "mast"

local matches = mast.crossmatch.hsc_magaper2 {
  data = { { ra = 210.8, dec = 54.3 } }, radius = 0.001,
  pagesize = 1000, page = 1,
}
print(mast.summary(matches, { columns = { "ra", "dec", "MatchID", "MatchRA", "MatchDec", "NumImages", "TargetName" } }))
