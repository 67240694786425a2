#!/usr/bin/env mast
-- get_wfc3ir_matches: a port of get_wfc3ir_matches() from MAST's "API examples in Python" page.
-- WFC3/IR PSF models centred at x 6..18 taken through F814W or F390W
-- (Mast.Catalogs.Filtered.Wfc3Psf.Ir, all columns).
-- Fixes: none needed.
local mast = require "mast"

local filters = mast.set_filters {
  { "psf_x_center", mast.set_min_max(6, 18) },
  { "filter", { "F814W", "F390W" } },
}
local psfs = mast.hst.wfc3_psf_ir { filters = filters, columns = "*" }
print(mast.summary(psfs, {
  columns = { "psf_id", "rootname", "filter", "detector", "psf_x_center", "psf_y_center", "targname" },
}))

if psfs:count() == 0 then
  print("No IR PSFs match: F814W and F390W are UVIS filters (the page asks the IR library for them too).")
end
