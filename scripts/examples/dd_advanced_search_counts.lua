#!/usr/bin/env mast
-- dd_advanced_search_counts: a port of dd_advanced_search_counts() from MAST's
-- "API examples in Python" page.
-- How many Disk Detective subjects had 10..18 classifiers and an "oval" vote
-- of 15..76 (Mast.Catalogs.Filtered.DiskDetective.Count).
-- Fixes: none needed (§12.11: the page sends no columns param; Disk
-- Detective's filtered services document none, so none is sent).
local mast = require "mast"

local filters = mast.set_filters {
  { "classifiers", mast.set_min_max(10, 18) },
  { "oval", mast.set_min_max(15, 76) },
}
local n = mast.catalogs.dd_filtered_count { filters = filters }
print(("Mast.Catalogs.Filtered.DiskDetective.Count: %d subjects match"):format(n))
