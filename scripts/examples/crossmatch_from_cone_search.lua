#!/usr/bin/env mast
-- crossmatch_from_cone_search: a port of crossmatch_from_cone_search() from MAST's
-- "API examples in Python" page.
-- The CAOM cone search of caom_cone_search, then that whole result sent back
-- as the crossmatch input (Mast.Caom.Crossmatch on its s_ra/s_dec columns,
-- radius 0.001 degrees).
-- Fixes: the cone search's (§12.6, see caom_cone_search.lua): no request is
-- sent again after MAST said COMPLETE.
local mast = require "mast"

local observations = mast.caom.cone {
  ra = 254.28746, dec = -4.09933, radius = 0.2,
  pagesize = 5000, page = 1, removenullcolumns = true, timeout = 3, cachebreaker = true,
}
print(("Mast.Caom.Cone: %d observations to crossmatch"):format(observations:count()))
local matches = mast.crossmatch.caom {
  data = observations, ra_column = "s_ra", dec_column = "s_dec", radius = 0.001,
  pagesize = 1000, page = 1, removecache = true,
}
print(mast.summary(matches, { columns = { "s_ra", "s_dec", "obs_collection", "instrument_name", "obs_id" } }))
