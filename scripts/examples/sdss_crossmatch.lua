#!/usr/bin/env mast
-- sdss_crossmatch: a port of sdss_crossmatch() from MAST's "API examples in Python" page.
-- SDSS objects within 0.01 degrees of (337.10977, 30.30261) (Mast.Sdss.Crossmatch, 1000 rows a page).
-- Fixes: none needed.
local mast = require "mast"

local matches = mast.crossmatch.sdss {
  data = { { ra = 337.10977, dec = 30.30261 } }, radius = 0.01,
  pagesize = 1000, page = 1,
}
print(mast.summary(matches, {
  columns = { "ra", "dec", "objid", "match_ra", "match_dec", "type", "r", "MatchDistance" },
}))
