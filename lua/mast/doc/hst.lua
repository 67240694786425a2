-- Help entries (mast.help): hst.
return {
  ["mast.hst"] = {
    sig = "mast.hst",
    summary = "Hubble searches — the WFC3 point-spread-function libraries.",
  },
  ["mast.hst.wfc3_psf_ir"] = {
    returns = "a mast.Result of PSF models",
    example = "local r = mast.hst.wfc3_psf_ir{filters = {filter = 'F160W'}}",
    sig = "mast.hst.wfc3_psf_ir{filters = {...} [, columns = \"*\"]} -> result",
    summary = "Mast.Catalogs.Filtered.Wfc3Psf.Ir: the same for WFC3/IR.",
  },
  ["mast.hst.wfc3_psf_uvis"] = {
    returns = "a mast.Result of PSF models",
    example = "local r = mast.hst.wfc3_psf_uvis{filters = {filter = 'F606W'}}",
    sig = "mast.hst.wfc3_psf_uvis{filters = {...} [, columns = \"*\"]} -> result",
    summary = "Mast.Catalogs.Filtered.Wfc3Psf.Uvis: WFC3/UVIS PSF models matching the filters.",
  },
}
