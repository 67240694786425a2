#!/usr/bin/env mast
-- advanced_search_with_position: a port of advanced_search_with_position() from MAST's
-- "API examples in Python" page.
-- CAOM cubes within 0.24 degrees of (210.8023, 54.349)
-- (Mast.Caom.Filtered.Position, position "210.8023, 54.349, 0.24", all columns).
-- Fixes: none needed.
local mast = require "mast"

local cubes = mast.caom.filtered_position {
  ra = 210.8023, dec = 54.349, radius = 0.24, columns = "*",
  filters = mast.set_filters { dataproduct_type = { "cube" } },
}
print(mast.summary(cubes, {
  columns = { "obs_collection", "instrument_name", "target_name", "obs_id", "s_ra", "s_dec", "distance" },
}))
