#!/usr/bin/env mast
-- dd_advanced_search_position: a port of dd_advanced_search_position() from MAST's
-- "API examples in Python" page.
-- The Disk Detective subjects within 0.2 degrees of (86.6909, 0.079) with
-- 10..18 classifiers (Mast.Catalogs.Filtered.DiskDetective.Position).
-- Fixes: none needed (§12.11: the page sends no columns param; Disk
-- Detective's filtered services document none, so none is sent).
local mast = require "mast"

local subjects = mast.catalogs.dd_filtered_position {
  ra = 86.6909, dec = 0.079, radius = .2,
  filters = mast.set_filters { classifiers = mast.set_min_max(10, 18) },
}
print(mast.summary(subjects, { columns = { "designation", "ZooniverseID", "ra", "dec", "w1mpro", "j_m_2mass" } }))
