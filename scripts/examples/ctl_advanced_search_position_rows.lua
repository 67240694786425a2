#!/usr/bin/env mast
-- ctl_advanced_search_position_rows: a port of ctl_advanced_search_position_rows() from
-- MAST's "API examples in Python" page.
-- The CTL stars within 0.2 degrees of (210.8023, 54.349) with Teff 4250..4500 K,
-- logg 4.4..5.0 and Tmag 8..10, rows only (Mast.Catalogs.Filtered.Ctl.Position.Rows).
-- Fixes: none needed.
local mast = require "mast"

local filters = mast.set_filters {
  { "Teff", mast.set_min_max(4250, 4500) },
  { "logg", mast.set_min_max(4.4, 5.0) },
  { "Tmag", mast.set_min_max(8, 10) },
}
local stars = mast.catalogs.ctl_filtered_position_rows {
  ra = 210.8023, dec = 54.349, radius = .2, filters = filters, columns = "*",
}
print(mast.summary(stars, { columns = { "ID", "ra", "dec", "Teff", "logg", "Tmag" } }))
