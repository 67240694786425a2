#!/usr/bin/env mast
-- dd_advanced_search_position_counts: a port of dd_advanced_search_position_counts() from
-- MAST's "API examples in Python" page.
-- How many Disk Detective subjects within 0.2 degrees of (86.6909, 0.079) had
-- 10..18 classifiers (Mast.Catalogs.Filtered.DiskDetective.Position.Count).
-- Fixes: none needed (§12.11: the page sends no columns param; Disk
-- Detective's filtered services document none, so none is sent).
local mast = require "mast"

local n = mast.catalogs.dd_filtered_position_count {
  ra = 86.6909, dec = 0.079, radius = .2,
  filters = mast.set_filters { classifiers = mast.set_min_max(10, 18) },
}
print(("Mast.Catalogs.Filtered.DiskDetective.Position.Count: %d subjects match within 0.2 degrees"):format(n))
