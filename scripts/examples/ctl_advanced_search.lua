#!/usr/bin/env mast
-- ctl_advanced_search: a port of ctl_advanced_search() from MAST's "API examples in Python" page.
-- How many CTL stars have dec -90..-30, Teff 4250..4500 K, logg 4.4..5.0 and
-- Tmag 8..10 (Mast.Catalogs.Filtered.Ctl, COUNT_BIG(*)).
-- Fixes: none needed.
-- (The page's "CTL Filtered Search" heading links to the TIC service's
-- documentation, §12.8; the request itself names Mast.Catalogs.Filtered.Ctl.)
local mast = require "mast"

-- as on the page, in its order: dec, Teff, logg, Tmag
local filters = mast.set_filters {
  { "dec", mast.set_min_max(-90, -30) },
  { "Teff", mast.set_min_max(4250, 4500) },
  { "logg", mast.set_min_max(4.4, 5.0) },
  { "Tmag", mast.set_min_max(8, 10) },
}
local n = mast.catalogs.ctl_filtered_count { filters = filters }
print(("Mast.Catalogs.Filtered.Ctl: %d stars match"):format(n))
