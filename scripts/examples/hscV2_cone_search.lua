#!/usr/bin/env mast
-- hscV2_cone_search: a port of hscV2_cone_search() from MAST's "API examples in Python" page.
-- Hubble Source Catalog version 2 sources within 0.2 degrees of (254.287, -4.09933)
-- (Mast.Hsc.Db.v2): at most nr = 5000 sources seen in at least ni = 1 image,
-- with aperture magnitudes (magtype = 1, MagAper2); the first page of 1000.
-- Fixes: none needed.
local mast = require "mast"

local sources = mast.hsc.cone {
  version = 2, ra = 254.287, dec = -4.09933, radius = 0.2, nr = 5000, ni = 1, magtype = 1,
  pagesize = 1000, page = 1, removenullcolumns = true,
}
print(mast.summary(sources, { columns = { "MatchID", "MatchRA", "MatchDec", "NumFilters", "NumVisits", "NumImages" } }))
