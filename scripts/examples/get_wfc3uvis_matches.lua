#!/usr/bin/env mast
-- get_wfc3uvis_matches: a port of get_wfc3uvis_matches() from MAST's "API examples in Python" page.
-- WFC3/UVIS PSF models centred at x 6..18 taken through F814W or F390W
-- (Mast.Catalogs.Filtered.Wfc3Psf.Uvis, all columns).
-- Fixes: none needed.
local mast = require "mast"

local filters = mast.set_filters {
  { "psf_x_center", mast.set_min_max(6, 18) },
  { "filter", { "F814W", "F390W" } },
}
local psfs = mast.hst.wfc3_psf_uvis { filters = filters, columns = "*" }
print(mast.summary(psfs, {
  columns = { "psf_id", "rootname", "filter", "detector", "psf_x_center", "psf_y_center", "targname" },
}))
