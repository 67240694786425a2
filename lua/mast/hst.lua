--- mast.hst: Hubble searches — the WFC3 point-spread-function libraries.
-- Both return a mast.Result and take the common options (pagesize, page,
-- removenullcolumns, timeout, cachebreaker, clearcache, removecache, format,
-- all, deadline, progress, params).
local S = require "mast.service"

local M = { _NAME = "mast.hst" }

local EXAMPLE = "{filters = {psf_x_center = {6, 18}, filter = {'F814W', 'F390W'}}}"

--- mast.hst.wfc3_psf_uvis{filters = {...} [, columns = "*"]} -> result
-- Mast.Catalogs.Filtered.Wfc3Psf.Uvis: WFC3/UVIS PSF models matching the filters.
M.wfc3_psf_uvis = S.define {
  name = "mast.hst.wfc3_psf_uvis", service = "Mast.Catalogs.Filtered.Wfc3Psf.Uvis",
  filters = "required", columns = "*", example = EXAMPLE,
}

--- mast.hst.wfc3_psf_ir{filters = {...} [, columns = "*"]} -> result
-- Mast.Catalogs.Filtered.Wfc3Psf.Ir: the same for WFC3/IR.
M.wfc3_psf_ir = S.define {
  name = "mast.hst.wfc3_psf_ir", service = "Mast.Catalogs.Filtered.Wfc3Psf.Ir",
  filters = "required", columns = "*", example = EXAMPLE,
}

return M
