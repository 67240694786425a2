--- The invoke requests of MAST's "API examples in Python" page
-- (shared/reference/mast-api-python-examples.txt), restated as Lua tables
-- with the fixes of the protocol notes (§12) applied, for the specs to
-- compare what the wrappers and the scripts send against.
-- Written out by hand from the page: nothing here calls mast's own helpers,
-- so the specs do not check the code against itself.
-- Values keep the page's number types: 0.2 is a float, 1000 an integer,
-- 5.0 (Python's float) a float.
local P = {}

-- the page's set_filters over an ordered list of {name, values}
local function filters(list)
  local out = {}
  for i, p in ipairs(list) do out[i] = { paramName = p[1], values = p[2] } end
  return out
end
local function range(a, b) return { { min = a, max = b } } end

local POS = { ra = 254.28746, dec = -4.09933, radius = 0.2 }
local function pos() return { ra = POS.ra, dec = POS.dec, radius = POS.radius } end
local function hsc_params() return { ra = 254.287, dec = -4.09933, radius = 0.2, nr = 5000, ni = 1, magtype = 1 } end
local function tic_filters()
  return filters { { "dec", range(-90, -30) }, { "Teff", range(4250, 4500) }, { "logg", range(4.4, 5.0) },
                   { "Tmag", range(8, 10) } }
end
local function tic_pos_filters()
  return filters { { "Teff", range(4250, 4500) }, { "logg", range(4.4, 5.0) }, { "Tmag", range(8, 10) } }
end
local function dd_filters() return filters { { "classifiers", range(10, 18) }, { "oval", range(15, 76) } } end
local function psf_filters() return filters { { "psf_x_center", range(6, 18) }, { "filter", { "F814W", "F390W" } } } end
local function minimal(ra, dec, racol, deccol)
  racol, deccol = racol or "ra", deccol or "dec"
  return { fields = { { name = racol, type = "float" }, { name = deccol, type = "float" } },
           data = { { [racol] = ra, [deccol] = dec } } }
end
local function crossmatch(service, data, radius, paging, racol, deccol)
  local r = { service = service, data = data, format = "json",
              params = { raColumn = racol or "ra", decColumn = deccol or "dec", radius = radius } }
  if paging then r.pagesize, r.page = 1000, 1 end
  return r
end

-- Each entry: a function returning the request (some take the value a chain
-- depends on: a cachebreaker, a MatchID, a URL, an obsid, an upload).
P.requests = {
  -- mast.query sends format "json" when a request names none; the resolver ignores it
  resolve_name = function()
    return { service = "Mast.Name.Lookup", params = { input = "M101", format = "json" }, format = "json" }
  end,
  list_caom_missions = function() return { service = "Mast.Missions.List", params = {}, format = "json" } end,
  caom_cone_search = function(cachebreaker)
    local params = pos()
    params.cachebreaker = cachebreaker
    return { service = "Mast.Caom.Cone", params = params, format = "json", pagesize = 5000, page = 1,
             removenullcolumns = true, timeout = 3, cachebreaker = cachebreaker }
  end,
  vo_cone_search = function()
    return { service = "Vo.Hesarc.DatascopeListable", params = pos(), format = "json", removenullcolumns = true }
  end,
  hscV2_cone_search = function()
    return { service = "Mast.Hsc.Db.v2", params = hsc_params(), format = "json", pagesize = 1000, page = 1,
             removenullcolumns = true }
  end,
  hscV3_cone_search = function()
    return { service = "Mast.Hsc.Db.v3", params = hsc_params(), format = "json", pagesize = 1000, page = 1,
             removenullcolumns = true }
  end,
  gaiaDR1_cone_search = function()
    return { service = "Mast.Catalogs.GaiaDR1.Cone", params = { ra = 254.287, dec = -4.09933, radius = 0.2 },
             format = "json", pagesize = 1000, page = 5 }
  end,
  gaiaDR2_cone_search = function()
    return { service = "Mast.Catalogs.GaiaDR2.Cone", params = { ra = 254.287, dec = -4.09933, radius = 0.2 },
             format = "json", pagesize = 1000, page = 5 }
  end,
  tgas_cone_search = function()
    return { service = "Mast.Catalogs.Tgas.Cone", params = pos(), format = "json", timeout = 10 }
  end,
  galex_cone_search = function()
    return { service = "Mast.Galex.Catalog", params = pos(), format = "json", timeout = 10 }
  end,
  tic_cone_search = function()
    return { service = "Mast.Catalogs.Tic.Cone", params = pos(), format = "json", timeout = 10 }
  end,
  ctl_cone_search = function()
    return { service = "Mast.Catalogs.Ctl.Cone", params = pos(), format = "json", timeout = 10 }
  end,
  dd_cone_search = function()
    return { service = "Mast.Catalogs.DiskDetective.Cone", params = pos(), format = "json", timeout = 10 }
  end,
  advanced_search_counts = function()
    return { service = "Mast.Caom.Filtered", format = "json", params = {
      columns = "COUNT_BIG(*)",
      filters = {
        { paramName = "filters", values = { "NUV", "FUV" }, separator = ";" },
        { paramName = "t_max", values = { { min = 52264.4586, max = 54452.8914 } } },
        { paramName = "obsid", values = {}, freeText = "%200%" },
      } } }
  end,
  advanced_search = function()
    return { service = "Mast.Caom.Filtered", format = "json", params = {
      columns = "*", filters = filters { { "dataproduct_type", { "image" } }, { "proposal_pi", { "Osten" } } },
      obstype = "all" } }
  end,
  advanced_search_with_position_counts = function()
    return { service = "Mast.Caom.Filtered.Position", format = "json", params = {
      columns = "COUNT_BIG(*)", filters = filters { { "dataproduct_type", { "cube", "image" } } },
      position = "210.8023, 54.349, 5" } }
  end,
  advanced_search_with_position = function()
    return { service = "Mast.Caom.Filtered.Position", format = "json", params = {
      columns = "*", filters = filters { { "dataproduct_type", { "cube" } } },
      position = "210.8023, 54.349, 0.24" } }
  end,
  tic_advanced_search = function()
    return { service = "Mast.Catalogs.Filtered.Tic", format = "json",
             params = { columns = "COUNT_BIG(*)", filters = tic_filters() } }
  end,
  tic_advanced_search_rows = function()
    return { service = "Mast.Catalogs.Filtered.Tic.Rows", format = "json",
             params = { columns = "*", filters = tic_filters() } }
  end,
  -- §12.1: the page's "BIG_COUNTS(*)" fixed
  tic_advanced_search_position = function()
    return { service = "Mast.Catalogs.Filtered.Tic.Position", format = "json",
             params = { columns = "COUNT_BIG(*)", filters = tic_pos_filters(), ra = 210.8023, dec = 54.349,
                        radius = .2 } }
  end,
  tic_advanced_search_position_rows = function()
    return { service = "Mast.Catalogs.Filtered.Tic.Position.Rows", format = "json",
             params = { columns = "*", filters = tic_pos_filters(), ra = 210.8023, dec = 54.349, radius = .2 } }
  end,
  ctl_advanced_search = function()
    return { service = "Mast.Catalogs.Filtered.Ctl", format = "json",
             params = { columns = "COUNT_BIG(*)", filters = tic_filters() } }
  end,
  ctl_advanced_search_rows = function()
    return { service = "Mast.Catalogs.Filtered.Ctl.Rows", format = "json",
             params = { columns = "*", filters = tic_filters() } }
  end,
  ctl_advanced_search_position = function()
    return { service = "Mast.Catalogs.Filtered.Ctl.Position", format = "json",
             params = { columns = "COUNT_BIG(*)", filters = tic_pos_filters(), ra = 210.8023, dec = 54.349,
                        radius = .2 } }
  end,
  ctl_advanced_search_position_rows = function()
    return { service = "Mast.Catalogs.Filtered.Ctl.Position.Rows", format = "json",
             params = { columns = "*", filters = tic_pos_filters(), ra = 210.8023, dec = 54.349, radius = .2 } }
  end,
  -- §12.11: Disk Detective's filtered requests carry no columns
  dd_advanced_search_counts = function()
    return { service = "Mast.Catalogs.Filtered.DiskDetective.Count", format = "json",
             params = { filters = dd_filters() } }
  end,
  dd_advanced_search_position_counts = function()
    return { service = "Mast.Catalogs.Filtered.DiskDetective.Position.Count", format = "json",
             params = { filters = filters { { "classifiers", range(10, 18) } }, ra = 86.6909, dec = 0.079,
                        radius = .2 } }
  end,
  dd_advanced_search = function()
    return { service = "Mast.Catalogs.Filtered.DiskDetective", format = "json", params = { filters = dd_filters() } }
  end,
  dd_advanced_search_position = function()
    return { service = "Mast.Catalogs.Filtered.DiskDetective.Position", format = "json",
             params = { filters = filters { { "classifiers", range(10, 18) } }, ra = 86.6909, dec = 0.079,
                        radius = .2 } }
  end,
  get_wfc3uvis_matches = function()
    return { service = "Mast.Catalogs.Filtered.Wfc3Psf.Uvis", format = "json",
             params = { columns = "*", filters = psf_filters() } }
  end,
  get_wfc3ir_matches = function()
    return { service = "Mast.Catalogs.Filtered.Wfc3Psf.Ir", format = "json",
             params = { columns = "*", filters = psf_filters() } }
  end,
  -- §12.8: MAST's documented case, Mast.Jwst (the page writes Mast.JWST)
  jwst_nircam_search = function(instrument)
    return { service = "Mast.Jwst.Filtered." .. (instrument or "Nircam"), format = "json",
             params = { columns = "COUNT_BIG(*)",
                        filters = filters { { "prop_dec", range(0, 90) }, { "mu_dec", range(-10, -2) } } } }
  end,
  hsc_spectra_search = function() return { service = "Mast.HscSpectra.Db.All", format = "votable" } end,
  download_hsc_spectra = function() return { service = "Mast.HscSpectra.Db.All", format = "json" } end,
  get_hscv2_matches = function(match_id)
    return { service = "Mast.HscMatches.Db.v2", params = { input = match_id }, format = "json", page = 1,
             pagesize = 4 }
  end,
  get_hscv3_matches = function(match_id)
    return { service = "Mast.HscMatches.Db.v3", params = { input = match_id }, format = "json", page = 1,
             pagesize = 4 }
  end,
  get_vo_data = function(url)
    return { service = "Vo.Generic.Table", params = { url = url }, format = "json", page = 1, pagesize = 1000 }
  end,
  crossmatch_from_cone_search = function(cone_result)
    local r = crossmatch("Mast.Caom.Crossmatch", cone_result, 0.001, true, "s_ra", "s_dec")
    r.removecache = true
    return r
  end,
  crossmatch_from_minimal_json = function()
    local r = crossmatch("Mast.Caom.Crossmatch", minimal(210.8, 54.3), 0.001, true)
    r.clearcache = true
    return r
  end,
  galex_crossmatch = function()
    return crossmatch("Mast.Galex.Crossmatch", minimal(210.8, 54.3, "s_ra", "s_dec"), 0.01, true, "s_ra", "s_dec")
  end,
  sdss_crossmatch = function()
    return crossmatch("Mast.Sdss.Crossmatch", minimal(337.10977, 30.30261), 0.01, true)
  end,
  twoMass_crossmatch = function()
    return crossmatch("Mast.2Mass.Crossmatch", minimal(210.88447, 54.332), 0.04, true)
  end,
  hscMagAper2_crossmatch = function()
    return crossmatch("Mast.Hsc.Crossmatch.MagAper2v3", minimal(210.8, 54.3), 0.001, true)
  end,
  hscMagAuto_crossmatch = function()
    return crossmatch("Mast.Hsc.Crossmatch.MagAutov3", minimal(210.8, 54.3), 0.001, true)
  end,
  gaiaDR1_crossmatch = function() return crossmatch("Mast.GaiaDR1.Crossmatch", minimal(210.8, 54.3), 0.1) end,
  gaiaDR2_crossmatch = function() return crossmatch("Mast.GaiaDR2.Crossmatch", minimal(210.8, 54.3), 0.1) end,
  tgas_crossmatch = function() return crossmatch("Mast.Tgas.Crossmatch", minimal(211.09, 54.3228), 0.2) end,
  tic_crossmatch = function() return crossmatch("Mast.Tic.Crossmatch", minimal(211.09, 54.3228), 0.2) end,
  ctl_crossmatch = function() return crossmatch("Mast.Ctl.Crossmatch", minimal(211.09, 54.3228), 0.2) end,
  get_caom_products = function(obsid)
    return { service = "Mast.Caom.Products", params = { obsid = obsid }, format = "json", pagesize = 4, page = 1 }
  end,
}

--- The 52 example functions of the page, in its order.
P.names = {
  "resolve_name", "list_caom_missions", "caom_cone_search", "vo_cone_search", "hscV2_cone_search",
  "hscV3_cone_search", "gaiaDR1_cone_search", "gaiaDR2_cone_search", "tgas_cone_search", "galex_cone_search",
  "tic_cone_search", "ctl_cone_search", "dd_cone_search", "advanced_search_counts", "advanced_search",
  "advanced_search_with_position_counts", "advanced_search_with_position", "tic_advanced_search",
  "tic_advanced_search_rows", "tic_advanced_search_position", "tic_advanced_search_position_rows",
  "ctl_advanced_search", "ctl_advanced_search_rows", "ctl_advanced_search_position",
  "ctl_advanced_search_position_rows", "dd_advanced_search_counts", "dd_advanced_search_position_counts",
  "dd_advanced_search", "dd_advanced_search_position", "get_wfc3uvis_matches", "get_wfc3ir_matches",
  "jwst_nircam_search", "hsc_spectra_search", "download_hsc_spectra", "get_hscv2_matches", "get_hscv3_matches",
  "get_vo_data", "crossmatch_from_cone_search", "crossmatch_from_minimal_json", "galex_crossmatch",
  "sdss_crossmatch", "twoMass_crossmatch", "hscMagAper2_crossmatch", "hscMagAuto_crossmatch",
  "gaiaDR1_crossmatch", "gaiaDR2_crossmatch", "tgas_crossmatch", "tic_crossmatch", "ctl_crossmatch",
  "get_caom_products", "download_individual_products", "download_multiple_products",
}

--- The request a chain starts from, for the chained examples.
P.first = {
  get_hscv2_matches = "hscV2_cone_search", get_hscv3_matches = "hscV3_cone_search",
  get_vo_data = "vo_cone_search", crossmatch_from_cone_search = "caom_cone_search",
  get_caom_products = "caom_cone_search", download_individual_products = "caom_cone_search",
  download_multiple_products = "caom_cone_search",
}

--- The pattern of the page's cachebreaker, time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()).
P.CACHEBREAKER = "^%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d$"

return P
