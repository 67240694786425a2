#!/usr/bin/env mast
-- galex_crossmatch: a port of galex_crossmatch() from MAST's "API examples in Python" page.
-- GALEX sources within 0.01 degrees of (210.8, 54.3), the upload's position
-- columns named s_ra/s_dec (Mast.Galex.Crossmatch, 1000 rows a page).
-- Fixes: none needed.
local mast = require "mast"

local matches = mast.crossmatch.galex {
  data = { { s_ra = 210.8, s_dec = 54.3 } }, ra_column = "s_ra", dec_column = "s_dec", radius = 0.01,
  pagesize = 1000, page = 1,
}
print(mast.summary(matches, { columns = { "s_ra", "s_dec", "objID", "survey", "ra", "dec", "fuv_mag", "nuv_mag" } }))
