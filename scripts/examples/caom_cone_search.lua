#!/usr/bin/env mast
-- caom_cone_search: a port of caom_cone_search() from MAST's "API examples in Python" page.
-- CAOM observations within 0.2 degrees of (254.28746, -4.09933) (Mast.Caom.Cone).
-- Fixes (protocol notes §12.6): the page polls with timeout = 3 until MAST
-- says COMPLETE and then sends the request once more; mast.query resends the
-- identical bytes while MAST answers EXECUTING and returns the COMPLETE
-- answer, so nothing is sent after it. The cachebreaker (the current UTC
-- time, as on the page) still goes both at the top and in params: MAST's
-- cache key is {service, params}, so only the copy in params forces a fresh run.
local mast = require "mast"

local observations = mast.caom.cone {
  ra = 254.28746, dec = -4.09933, radius = 0.2,
  pagesize = 5000, page = 1, removenullcolumns = true, timeout = 3, cachebreaker = true,
}
print(mast.summary(observations, {
  columns = { "obs_collection", "instrument_name", "target_name", "obs_id", "s_ra", "s_dec", "obsid" },
}))
