#!/usr/bin/env mast
-- tic_advanced_search: a port of tic_advanced_search() from MAST's "API examples in Python" page.
-- How many TIC stars have dec -90..-30, Teff 4250..4500 K, logg 4.4..5.0 and
-- Tmag 8..10 (Mast.Catalogs.Filtered.Tic, COUNT_BIG(*)).
-- Fixes: none needed.
local mast = require "mast"

-- as on the page, in its order: dec, Teff, logg, Tmag
local filters = mast.set_filters {
  { "dec", mast.set_min_max(-90, -30) },
  { "Teff", mast.set_min_max(4250, 4500) },
  { "logg", mast.set_min_max(4.4, 5.0) },
  { "Tmag", mast.set_min_max(8, 10) },
}
local n = mast.catalogs.tic_filtered_count { filters = filters }
print(("Mast.Catalogs.Filtered.Tic: %d stars match"):format(n))
