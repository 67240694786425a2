#!/usr/bin/env mast
-- gaiaDR1_cone_search: a port of gaiaDR1_cone_search() from MAST's "API examples in Python" page.
-- Gaia DR1 sources within 0.2 degrees of (254.287, -4.09933)
-- (Mast.Catalogs.GaiaDR1.Cone), page 5 of 1000 rows.
-- Fixes (protocol notes §12.10): page 5 of 1000 may lie past the last page,
-- and the page then returns an empty answer without saying why. We ask for the
-- same page and, when it is empty, say how many rows and pages the cone has.
local mast = require "mast"

local sources = mast.catalogs.gaia_dr1_cone { ra = 254.287, dec = -4.09933, radius = 0.2, pagesize = 1000, page = 5 }
print(mast.summary(sources, { columns = { "source_id", "ra", "dec", "phot_g_mean_mag", "parallax" } }))
local paging = sources.paging
if sources:count() == 0 and type(paging) == "table" and math.type(paging.rowsFiltered) == "integer" then
  print(("Page 5 is past the last page: the cone holds %d rows, %d page(s) of 1000.")
    :format(paging.rowsFiltered, paging.pagesFiltered))
end
