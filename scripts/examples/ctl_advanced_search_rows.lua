#!/usr/bin/env mast
-- ctl_advanced_search_rows: a port of ctl_advanced_search_rows() from MAST's
-- "API examples in Python" page.
-- The CTL stars with dec -90..-30, Teff 4250..4500 K, logg 4.4..5.0 and Tmag
-- 8..10, rows only (Mast.Catalogs.Filtered.Ctl.Rows, all columns).
-- Fixes: none needed (§12.11: the page sends columns = "*", which the current
-- apiEx.py leaves out; both mean every column).
local mast = require "mast"

local filters = mast.set_filters {
  { "dec", mast.set_min_max(-90, -30) },
  { "Teff", mast.set_min_max(4250, 4500) },
  { "logg", mast.set_min_max(4.4, 5.0) },
  { "Tmag", mast.set_min_max(8, 10) },
}
local stars = mast.catalogs.ctl_filtered_rows { filters = filters, columns = "*" }
print(mast.summary(stars, { columns = { "ID", "ra", "dec", "Teff", "logg", "Tmag" } }))
