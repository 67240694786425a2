#!/usr/bin/env mast
-- ctl_advanced_search_position: a port of ctl_advanced_search_position() from MAST's
-- "API examples in Python" page.
-- How many CTL stars within 0.2 degrees of (210.8023, 54.349) have Teff
-- 4250..4500 K, logg 4.4..5.0 and Tmag 8..10 (Mast.Catalogs.Filtered.Ctl.Position).
-- Fixes: none needed.
local mast = require "mast"

local filters = mast.set_filters {
  { "Teff", mast.set_min_max(4250, 4500) },
  { "logg", mast.set_min_max(4.4, 5.0) },
  { "Tmag", mast.set_min_max(8, 10) },
}
local n = mast.catalogs.ctl_filtered_position_count { ra = 210.8023, dec = 54.349, radius = .2, filters = filters }
print(("Mast.Catalogs.Filtered.Ctl.Position: %d stars match within 0.2 degrees"):format(n))
