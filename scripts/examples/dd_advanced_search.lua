#!/usr/bin/env mast
-- dd_advanced_search: a port of dd_advanced_search() from MAST's "API examples in Python" page.
-- The Disk Detective subjects with 10..18 classifiers and an "oval" vote of
-- 15..76 (Mast.Catalogs.Filtered.DiskDetective).
-- Fixes: none needed (§12.11: the page sends no columns param; Disk
-- Detective's filtered services document none, so none is sent).
local mast = require "mast"

local filters = mast.set_filters {
  { "classifiers", mast.set_min_max(10, 18) },
  { "oval", mast.set_min_max(15, 76) },
}
local subjects = mast.catalogs.dd_filtered { filters = filters }
print(mast.summary(subjects, { columns = { "designation", "ZooniverseID", "ra", "dec", "w1mpro", "j_m_2mass" } }))
