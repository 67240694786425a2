#!/usr/bin/env mast
-- crossmatch_from_minimal_json: a port of crossmatch_from_minimal_json() from MAST's
-- "API examples in Python" page.
-- CAOM observations within 0.001 degrees of one position given by hand
-- (Mast.Caom.Crossmatch; the upload is {fields = ra, dec (float), data = the rows}).
-- Fixes: none needed.
local mast = require "mast"

local matches = mast.crossmatch.caom {
  data = { { ra = 210.8, dec = 54.3 } }, ra_column = "ra", dec_column = "dec", radius = 0.001,
  pagesize = 1000, page = 1, clearcache = true,
}
print(mast.summary(matches, {
  columns = { "ra", "dec", "obs_collection", "instrument_name", "target_name", "obs_id" },
}))
