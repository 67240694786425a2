#!/usr/bin/env mast
-- advanced_search_with_position_counts: a port of advanced_search_with_position_counts()
-- from MAST's "API examples in Python" page.
-- How many CAOM cubes and images lie within 5 degrees of (210.8023, 54.349)
-- (Mast.Caom.Filtered.Position, position "210.8023, 54.349, 5", COUNT_BIG(*)).
-- Fixes: none needed.
local mast = require "mast"

local n = mast.caom.filtered_position_count {
  ra = 210.8023, dec = 54.349, radius = 5,
  filters = mast.set_filters { dataproduct_type = { "cube", "image" } },
}
print(("Mast.Caom.Filtered.Position: %d cubes and images within 5 degrees"):format(n))
