-- The service wrappers against the local MAST sandbox: for each of the 46
-- services of the examples page, the bytes the wrapper sends with the page's
-- values are those of the page's request (integration/examples_page.lua, with
-- the §12 fixes), and what it hands back is MAST's answer.
local mast = require "mast"
local query = require "mast.query"
local result = require "mast.result"
local PAGE = require "integration.examples_page"
local R = PAGE.requests

-- The one request sent (resent identically while MAST answered EXECUTING).
local function the_only_invoke()
  local log = H.invokes()
  assert.is_true(#log >= 1, "expected an invoke request")
  for i = 2, #log do assert.equal(log[1].body, log[i].body, "expected one request (polled)") end
  return log[1]
end

-- What a direct mast.query of the page's request gives (sent after the log was read).
local function direct(request)
  return mast.query(request)
end

local CHECK = {}

function CHECK.rows(got, request)
  assert.is_true(result.is_result(got), "expected a mast.Result")
  assert.equal(request.service, got:service())
  assert.equal("COMPLETE", got.status)
  assert.is_true(got:count() > 0, "expected rows")
  local d = direct(request)
  assert.same(d:columns(), got:columns())
  assert.same(d.data, got.data)
end

function CHECK.empty(got, request)
  assert.is_true(result.is_result(got), "expected a mast.Result")
  assert.equal(request.service, got:service())
  assert.equal(0, got:count())
  assert.is_true(#got.fields > 0)
end

function CHECK.count(got, request)
  assert.equal("integer", math.type(got))
  assert.is_true(got > 0)
  local d = direct(request)
  assert.equal(math.tointeger(tonumber(d.data[1].Column1)), got)
end

function CHECK.names(got, request)
  local d = direct(request)
  assert.is_true(#got > 0)
  for i, row in ipairs(d.data) do assert.equal(row.distinctValue, got[i]) end
  assert.equal(#d.data, #got)
end

function CHECK.resolver(got, request)
  local d = direct(request)
  assert.same(d, got)
  assert.equal("table", type(got.resolvedCoordinate[1]))
  assert.equal("number", type(got.resolvedCoordinate[1].decl))
end

function CHECK.text(got, request)
  assert.equal("string", type(got))
  assert.matches("^<%?xml", got)
  assert.equal(direct(request), got)
end

-- service, page example, call, kind [, argument of the page request]
local CASES = {
  { "Mast.Name.Lookup", "resolve_name", function() return mast.resolver.lookup("M101") end, "resolver" },
  { "Mast.Missions.List", "list_caom_missions", function() return mast.missions.list() end, "names" },
  { "Mast.Caom.Cone", "caom_cone_search", function()
      return mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.2, pagesize = 5000, page = 1,
                              removenullcolumns = true, timeout = 3, cachebreaker = "2024-05-01 12:00:00" }
    end, "rows", "2024-05-01 12:00:00" },
  { "Vo.Hesarc.DatascopeListable", "vo_cone_search", function()
      return mast.vo.cone { ra = 254.28746, dec = -4.09933, radius = 0.2, removenullcolumns = true }
    end, "rows" },
  { "Mast.Hsc.Db.v2", "hscV2_cone_search", function()
      return mast.hsc.cone { version = 2, ra = 254.287, dec = -4.09933, radius = 0.2, nr = 5000, ni = 1,
                             magtype = 1, pagesize = 1000, page = 1, removenullcolumns = true }
    end, "rows" },
  { "Mast.Hsc.Db.v3", "hscV3_cone_search", function()
      return mast.hsc.cone { ra = 254.287, dec = -4.09933, radius = 0.2, nr = 5000, ni = 1,
                             magtype = "MagAper2", pagesize = 1000, page = 1, removenullcolumns = true }
    end, "rows" },
  { "Mast.Catalogs.GaiaDR1.Cone", "gaiaDR1_cone_search", function()
      return mast.catalogs.gaia_dr1_cone { ra = 254.287, dec = -4.09933, radius = 0.2, pagesize = 1000, page = 5 }
    end, "rows" },
  { "Mast.Catalogs.GaiaDR2.Cone", "gaiaDR2_cone_search", function()
      return mast.catalogs.gaia_dr2_cone { ra = 254.287, dec = -4.09933, radius = 0.2, pagesize = 1000, page = 5 }
    end, "rows" },
  { "Mast.Catalogs.Tgas.Cone", "tgas_cone_search", function()
      return mast.catalogs.tgas_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, timeout = 10 }
    end, "rows" },
  { "Mast.Galex.Catalog", "galex_cone_search", function()
      return mast.catalogs.galex_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, timeout = 10 }
    end, "rows" },
  { "Mast.Catalogs.Tic.Cone", "tic_cone_search", function()
      return mast.catalogs.tic_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, timeout = 10 }
    end, "rows" },
  { "Mast.Catalogs.Ctl.Cone", "ctl_cone_search", function()
      return mast.catalogs.ctl_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, timeout = 10 }
    end, "rows" },
  { "Mast.Catalogs.DiskDetective.Cone", "dd_cone_search", function()
      return mast.catalogs.dd_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, timeout = 10 }
    end, "rows" },
  { "Mast.Caom.Filtered (count)", "advanced_search_counts", function()
      return mast.caom.filtered_count { filters = {
        { "filters", { values = { "NUV", "FUV" }, separator = ";" } },
        { "t_max", { 52264.4586, 54452.8914 } },
        { "obsid", { freeText = "%200%" } },
      } }
    end, "count" },
  { "Mast.Caom.Filtered", "advanced_search", function()
      return mast.caom.filtered { filters = { dataproduct_type = "image", proposal_pi = { "Osten" } },
                                  obstype = "all" }
    end, "rows" },
  { "Mast.Caom.Filtered.Position (count)", "advanced_search_with_position_counts", function()
      return mast.caom.filtered_position_count { ra = 210.8023, dec = 54.349, radius = 5,
        filters = { dataproduct_type = { "cube", "image" } } }
    end, "count" },
  { "Mast.Caom.Filtered.Position", "advanced_search_with_position", function()
      return mast.caom.filtered_position { ra = 210.8023, dec = 54.349, radius = 0.24,
        filters = mast.set_filters { dataproduct_type = { "cube" } } }
    end, "rows" },
  { "Mast.Catalogs.Filtered.Tic", "tic_advanced_search", function()
      return mast.catalogs.tic_filtered_count { filters = {
        { "dec", { -90, -30 } }, { "Teff", { 4250, 4500 } }, { "logg", { 4.4, 5.0 } }, { "Tmag", { 8, 10 } } } }
    end, "count" },
  { "Mast.Catalogs.Filtered.Tic.Rows", "tic_advanced_search_rows", function()
      return mast.catalogs.tic_filtered_rows { filters = mast.set_filters {
        { "dec", mast.set_min_max(-90, -30) }, { "Teff", mast.set_min_max(4250, 4500) },
        { "logg", mast.set_min_max(4.4, 5.0) }, { "Tmag", mast.set_min_max(8, 10) } } }
    end, "rows" },
  { "Mast.Catalogs.Filtered.Tic.Position", "tic_advanced_search_position", function()
      return mast.catalogs.tic_filtered_position_count { ra = 210.8023, dec = 54.349, radius = .2, filters = {
        { "Teff", { 4250, 4500 } }, { "logg", { 4.4, 5.0 } }, { "Tmag", { min = 8, max = 10 } } } }
    end, "count" },
  { "Mast.Catalogs.Filtered.Tic.Position.Rows", "tic_advanced_search_position_rows", function()
      return mast.catalogs.tic_filtered_position_rows { ra = 210.8023, dec = 54.349, radius = .2, filters = {
        { "Teff", { 4250, 4500 } }, { "logg", { 4.4, 5.0 } }, { "Tmag", { 8, 10 } } } }
    end, "rows" },
  { "Mast.Catalogs.Filtered.Ctl", "ctl_advanced_search", function()
      return mast.catalogs.ctl_filtered_count { filters = {
        { "dec", { -90, -30 } }, { "Teff", { 4250, 4500 } }, { "logg", { 4.4, 5.0 } }, { "Tmag", { 8, 10 } } } }
    end, "count" },
  { "Mast.Catalogs.Filtered.Ctl.Rows", "ctl_advanced_search_rows", function()
      return mast.catalogs.ctl_filtered_rows { columns = "*", filters = {
        { "dec", { -90, -30 } }, { "Teff", { 4250, 4500 } }, { "logg", { 4.4, 5.0 } }, { "Tmag", { 8, 10 } } } }
    end, "rows" },
  { "Mast.Catalogs.Filtered.Ctl.Position", "ctl_advanced_search_position", function()
      return mast.catalogs.ctl_filtered_position_count { ra = 210.8023, dec = 54.349, radius = .2, filters = {
        { "Teff", { 4250, 4500 } }, { "logg", { 4.4, 5.0 } }, { "Tmag", { 8, 10 } } } }
    end, "count" },
  { "Mast.Catalogs.Filtered.Ctl.Position.Rows", "ctl_advanced_search_position_rows", function()
      return mast.catalogs.ctl_filtered_position_rows { ra = 210.8023, dec = 54.349, radius = .2, filters = {
        { "Teff", { 4250, 4500 } }, { "logg", { 4.4, 5.0 } }, { "Tmag", { 8, 10 } } } }
    end, "rows" },
  { "Mast.Catalogs.Filtered.DiskDetective.Count", "dd_advanced_search_counts", function()
      return mast.catalogs.dd_filtered_count { filters = { classifiers = { 10, 18 }, oval = { 15, 76 } } }
    end, "count" },
  { "Mast.Catalogs.Filtered.DiskDetective.Position.Count", "dd_advanced_search_position_counts", function()
      return mast.catalogs.dd_filtered_position_count { ra = 86.6909, dec = 0.079, radius = .2,
                                                        filters = { classifiers = { 10, 18 } } }
    end, "count" },
  { "Mast.Catalogs.Filtered.DiskDetective", "dd_advanced_search", function()
      return mast.catalogs.dd_filtered { filters = { classifiers = { 10, 18 }, oval = { 15, 76 } } }
    end, "rows" },
  { "Mast.Catalogs.Filtered.DiskDetective.Position", "dd_advanced_search_position", function()
      return mast.catalogs.dd_filtered_position { ra = 86.6909, dec = 0.079, radius = .2,
                                                  filters = { classifiers = { 10, 18 } } }
    end, "rows" },
  { "Mast.Catalogs.Filtered.Wfc3Psf.Uvis", "get_wfc3uvis_matches", function()
      return mast.hst.wfc3_psf_uvis { filters = { { "psf_x_center", { 6, 18 } }, { "filter", { "F814W", "F390W" } } } }
    end, "rows" },
  -- the page asks the IR library for two UVIS filters: no rows
  { "Mast.Catalogs.Filtered.Wfc3Psf.Ir", "get_wfc3ir_matches", function()
      return mast.hst.wfc3_psf_ir { filters = { { "psf_x_center", { 6, 18 } }, { "filter", { "F814W", "F390W" } } } }
    end, "empty" },
  { "Mast.Jwst.Filtered.Nircam", "jwst_nircam_search", function()
      return mast.jwst.count { instrument = "NIRCAM",
                               filters = { { "prop_dec", { 0, 90 } }, { "mu_dec", { -10, -2 } } } }
    end, "count" },
  { "Mast.HscSpectra.Db.All (votable)", "hsc_spectra_search", function()
      return mast.hsc.spectra { format = "votable" }
    end, "text" },
  { "Mast.HscSpectra.Db.All", "download_hsc_spectra", function() return mast.hsc.spectra() end, "rows" },
  { "Mast.Caom.Crossmatch", "crossmatch_from_minimal_json", function()
      return mast.crossmatch.caom { data = { { ra = 210.8, dec = 54.3 } }, radius = 0.001, pagesize = 1000,
                                    page = 1, clearcache = true }
    end, "rows" },
  { "Mast.Galex.Crossmatch", "galex_crossmatch", function()
      return mast.crossmatch.galex { data = { { s_ra = 210.8, s_dec = 54.3 } }, ra_column = "s_ra",
                                     dec_column = "s_dec", radius = 0.01, pagesize = 1000, page = 1 }
    end, "rows" },
  { "Mast.Sdss.Crossmatch", "sdss_crossmatch", function()
      return mast.crossmatch.sdss { data = { { ra = 337.10977, dec = 30.30261 } }, radius = 0.01,
                                    pagesize = 1000, page = 1 }
    end, "rows" },
  { "Mast.2Mass.Crossmatch", "twoMass_crossmatch", function()
      return mast.crossmatch.twomass { data = { { ra = 210.88447, dec = 54.332 } }, radius = 0.04,
                                       pagesize = 1000, page = 1 }
    end, "rows" },
  { "Mast.Hsc.Crossmatch.MagAper2v3", "hscMagAper2_crossmatch", function()
      return mast.crossmatch.hsc_magaper2 { data = { { ra = 210.8, dec = 54.3 } }, radius = 0.001,
                                            pagesize = 1000, page = 1 }
    end, "rows" },
  { "Mast.Hsc.Crossmatch.MagAutov3", "hscMagAuto_crossmatch", function()
      return mast.crossmatch.hsc_magauto { data = { { ra = 210.8, dec = 54.3 } }, radius = 0.001,
                                           pagesize = 1000, page = 1 }
    end, "rows" },
  { "Mast.GaiaDR1.Crossmatch", "gaiaDR1_crossmatch", function()
      return mast.crossmatch.gaia_dr1 { data = { { ra = 210.8, dec = 54.3 } }, radius = 0.1 }
    end, "rows" },
  { "Mast.GaiaDR2.Crossmatch", "gaiaDR2_crossmatch", function()
      return mast.crossmatch.gaia_dr2 { data = { { ra = 210.8, dec = 54.3 } }, radius = 0.1 }
    end, "rows" },
  { "Mast.Tgas.Crossmatch", "tgas_crossmatch", function()
      return mast.crossmatch.tgas { data = { { ra = 211.09, dec = 54.3228 } }, radius = 0.2 }
    end, "rows" },
  { "Mast.Tic.Crossmatch", "tic_crossmatch", function()
      return mast.crossmatch.tic { data = { { ra = 211.09, dec = 54.3228 } }, radius = 0.2 }
    end, "rows" },
  { "Mast.Ctl.Crossmatch", "ctl_crossmatch", function()
      return mast.crossmatch.ctl { data = { { ra = 211.09, dec = 54.3228 } }, radius = 0.2 }
    end, "rows" },
}

describe("the service wrappers send the page's requests and hand back MAST's answer:", function()
  before_each(H.reset)

  for _, case in ipairs(CASES) do
    local service, example, call, kind, arg = case[1], case[2], case[3], case[4], case[5]
    it(("%s (%s)"):format(service, example), function()
      local got = call()
      local sent = the_only_invoke()
      local expected = R[example](arg)
      assert.equal(query.encode(expected), sent.body)
      CHECK[kind](got, expected)
    end)
  end

  -- the chained ones: a value from a first answer feeds the second request
  it("Mast.HscMatches.Db.v2 and .v3 (get_hscv2_matches, get_hscv3_matches)", function()
    for _, v in ipairs({ 2, 3 }) do
      local match_id = direct(R["hscV" .. v .. "_cone_search"]()).data[1].MatchID
      assert.equal("integer", math.type(match_id))
      H.reset()
      local got = mast.hsc.matches { version = v, match_id = match_id, page = 1, pagesize = 4 }
      local expected = R["get_hscv" .. v .. "_matches"](match_id)
      assert.equal(query.encode(expected), the_only_invoke().body)
      CHECK.rows(got, expected)
      for _, row in ipairs(got.data) do assert.equal(match_id, row.MatchID) end
    end
  end)

  it("Vo.Generic.Table (get_vo_data), on the third VO resource's tableURL", function()
    local url = direct(R.vo_cone_search()).data[3].tableURL
    assert.matches("^https?://", url)
    H.reset()
    local got = mast.vo.table { url = url, page = 1, pagesize = 1000 }
    local expected = R.get_vo_data(url)
    assert.equal(query.encode(expected), the_only_invoke().body)
    CHECK.rows(got, expected)
  end)

  it("Mast.Caom.Crossmatch (crossmatch_from_cone_search), uploading a whole cone-search result", function()
    local cone = mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.2, pagesize = 5000, page = 1,
                                  removenullcolumns = true, timeout = 3, cachebreaker = "2024-05-01 12:00:00" }
    H.reset()
    -- s_ra/s_dec are found without being named: the result has no ra/dec columns
    local got = mast.crossmatch.caom { data = cone, radius = 0.001, pagesize = 1000, page = 1, removecache = true }
    local expected = R.crossmatch_from_cone_search(cone)
    local sent = the_only_invoke()
    assert.equal(query.encode(expected), sent.body)
    assert.equal(cone:count(), #sent.request.data.data)
    CHECK.rows(got, expected)
  end)

  it("Mast.Caom.Products (get_caom_products), for the second observation of the cone search", function()
    local obsid = direct(R.caom_cone_search("2024-05-01 12:00:00")).data[2].obsid
    assert.equal("integer", math.type(obsid))
    H.reset()
    local got = mast.caom.products { obsid = obsid, pagesize = 4, page = 1 }
    local expected = R.get_caom_products(obsid)
    assert.equal(query.encode(expected), the_only_invoke().body)
    CHECK.rows(got, expected)
    assert.equal(4, got:count())
    for _, row in ipairs(got.data) do assert.equal(obsid, row.obsID) end
  end)

  it("every one of the 46 services of the page (and no other) is covered above", function()
    local seen = {}
    for _, case in ipairs(CASES) do seen[R[case[2]](case[5]).service] = true end
    for _, s in ipairs({ "Mast.HscMatches.Db.v2", "Mast.HscMatches.Db.v3", "Vo.Generic.Table",
                         "Mast.Caom.Crossmatch", "Mast.Caom.Products" }) do seen[s] = true end
    local n = 0
    for _ in pairs(seen) do n = n + 1 end
    assert.equal(46, n)
  end)
end)

describe("the wrappers' defaults", function()
  before_each(H.reset)

  local function sent_request()
    return the_only_invoke().request
  end

  it("a cone sends the documented radius, format json and no paging keys", function()
    mast.caom.cone { ra = 10, dec = 20 }
    assert.same({ service = "Mast.Caom.Cone", format = "json", params = { ra = 10, dec = 20, radius = 0.2 } },
      sent_request())
    H.reset()
    mast.catalogs.tic_cone { ra = 10.5, dec = -20.25 }
    assert.equal(0.02, sent_request().params.radius)
  end)

  it("HSC cones send nr 50000, ni 1 and magtype 1 unless told", function()
    mast.hsc.cone { ra = 254.287, dec = -4.09933, radius = 0.01 }
    local r = sent_request()
    assert.equal("Mast.Hsc.Db.v3", r.service)
    assert.same({ ra = 254.287, dec = -4.09933, radius = 0.01, nr = 50000, ni = 1, magtype = 1 }, r.params)
    H.reset()
    mast.hsc.cone { ra = 254.287, dec = -4.09933, radius = 0.01, magtype = "MagAuto", version = 2 }
    r = sent_request()
    assert.equal("Mast.Hsc.Db.v2", r.service)
    assert.equal(2, r.params.magtype)
  end)

  it("a crossmatch sends radius 0.002 and the columns ra/dec", function()
    mast.crossmatch.tic { data = { { ra = 211.09, dec = 54.3228, name = "a" } } }
    local r = sent_request()
    assert.same({ raColumn = "ra", decColumn = "dec", radius = 0.002 }, r.params)
    assert.same({ { name = "ra", type = "float" }, { name = "dec", type = "float" },
                  { name = "name", type = "string" } },
      r.data.fields)
    assert.same({ { ra = 211.09, dec = 54.3228, name = "a" } }, r.data.data)
  end)

  it("filtered searches send columns '*'; counts COUNT_BIG(*); Disk Detective none", function()
    mast.catalogs.tic_filtered { filters = { Tmag = { 8, 9 } } }
    assert.equal("*", sent_request().params.columns)
    H.reset()
    mast.hst.wfc3_psf_uvis { filters = { filter = "F814W" }, columns = { "psf_id", "filter" } }
    assert.equal("psf_id,filter", sent_request().params.columns)
    H.reset()
    mast.catalogs.dd_filtered_position { ra = 86.6909, dec = 0.079, filters = { classifiers = { 10, 18 } } }
    assert.is_nil(sent_request().params.columns)
  end)

  it("a cachebreaker of true is the current UTC time, at the top and in params", function()
    mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.01, cachebreaker = true }
    local r = sent_request()
    assert.matches(PAGE.CACHEBREAKER, r.cachebreaker)
    assert.equal(r.cachebreaker, r.params.cachebreaker)
    assert.equal(os.date("!%Y-%m-%d"), r.cachebreaker:sub(1, 10))
  end)

  it("params = {...} adds raw params; one the wrapper also sets is an error", function()
    mast.vo.cone { ra = 254.28746, dec = -4.09933, params = { skipcache = true } }
    assert.is_true(sent_request().params.skipcache)
    H.reset()
    local e = H.raises("usage", mast.vo.cone, { ra = 254.28746, dec = -4.09933, params = { radius = 1 } })
    assert.matches("'radius' is given twice", e.message)
    assert.equal(0, #H.invokes())
  end)
end)

describe("a position given as a target name", function()
  before_each(H.reset)

  it("is resolved through Mast.Name.Lookup, then searched at the first match", function()
    local r = mast.caom.cone { target = "M101", radius = 0.05 }
    local log = H.invokes()
    assert.equal(2, #log)
    assert.same({ service = "Mast.Name.Lookup", params = { input = "M101", format = "json" }, format = "json" },
      log[1].request)
    local first = mast.resolver.lookup("M101").resolvedCoordinate[1]
    assert.same({ ra = first.ra, dec = first.decl, radius = 0.05 }, log[2].request.params)
    assert.is_true(r:count() > 0)
    local ra, dec, entry = mast.resolver.resolve("M101")
    assert.equal(first.ra, ra)
    assert.equal(first.decl, dec)
    assert.equal(first.canonicalName, entry.canonicalName)
  end)

  it("works for the position-filtered services too", function()
    local n = mast.catalogs.dd_filtered_position_count { target = "M101", filters = { classifiers = { 0, 100 } } }
    assert.equal("integer", math.type(n))
    local log = H.invokes()
    assert.equal("Mast.Name.Lookup", log[1].request.service)
    assert.equal("Mast.Catalogs.Filtered.DiskDetective.Position.Count", log[2].request.service)
    H.reset()
    mast.caom.filtered_position_count { target = "M101", radius = 0.5, filters = { dataproduct_type = "image" } }
    local pos = H.invokes()[2].request.params.position
    assert.matches("^210%.80%d*, 54%.34%d*, 0%.5$", pos)
  end)

  it("that MAST does not know is an error naming it, and nothing else is sent", function()
    local e = H.raises("mast", mast.caom.cone, { target = "Nonesuch Nebula 42" })
    assert.matches("^mast%.caom%.cone: MAST's name resolver found nothing for the target 'Nonesuch Nebula 42'",
      tostring(e))
    assert.equal("Nonesuch Nebula 42", e.target)
    assert.equal(1, #H.invokes())
    local answer = mast.resolver.lookup("Nonesuch Nebula 42")
    assert.same({}, answer.resolvedCoordinate)
    H.raises("mast", mast.resolver.resolve, "Nonesuch Nebula 42")
  end)
end)

describe("misuse is an error and sends nothing:", function()
  before_each(H.reset)

  local function refused(pattern, f, ...)
    local e = H.raises("usage", f, ...)
    assert.matches(pattern, tostring(e))
    assert.equal(0, #H.invokes())
    return e
  end

  it("a misspelt option names the right one", function()
    refused("^mast%.catalogs%.tic_cone: unknown option 'radious' %(did you mean 'radius'%?%)$",
      mast.catalogs.tic_cone, { ra = 1, dec = 2, radious = 0.1 })
    refused("unknown option 'pagesise' %(did you mean 'pagesize'%?%)", mast.caom.cone,
      { ra = 1, dec = 2, pagesise = 10 })
    refused("unknown option 'raColumn' %(did you mean 'ra_column'%?%)", mast.crossmatch.caom,
      { data = { { ra = 1, dec = 2 } }, raColumn = "ra" })
    refused("unknown option 'frobnicate' %(known: ", mast.hsc.cone, { ra = 1, dec = 2, frobnicate = 1 })
  end)

  it("a wrong value says what is expected", function()
    refused("option 'dec' must be a declination in degrees %(%-90 to 90%), got 95", mast.caom.cone,
      { ra = 1, dec = 95 })
    refused("option 'radius' must be a positive radius in degrees, got %-1", mast.vo.cone,
      { ra = 1, dec = 2, radius = -1 })
    refused("option 'magtype' must be 1 or 'MagAper2', 2 or 'MagAuto', got 'MagBest'", mast.hsc.cone,
      { ra = 1, dec = 2, magtype = "MagBest" })
    refused("option 'instrument' must be one of Nircam, Niriss, Nirspec, Miri, Fgs, GuideStar, Wss",
      mast.jwst.search, { instrument = "Hubble", filters = { prop_dec = { 0, 90 } } })
    refused("option 'pagesize' must be a positive whole number, got 0", mast.caom.cone,
      { ra = 1, dec = 2, pagesize = 0 })
  end)

  it("a missing position, filter list, obsid, MatchID, URL or upload", function()
    refused("needs a position: ra and dec in degrees, or target = 'M101' %(got no dec%)", mast.caom.cone, { ra = 1 })
    refused("give either a target name or ra and dec, not both", mast.caom.cone, { ra = 1, dec = 2, target = "M101" })
    refused("mast%.catalogs%.tic_filtered: needs filters", mast.catalogs.tic_filtered, {})
    refused("needs obsid", mast.caom.products, {})
    refused("needs match_id", mast.hsc.matches, {})
    refused("needs url", mast.vo.table, {})
    refused("needs data", mast.crossmatch.sdss, {})
    refused("needs instrument", mast.jwst.count, { filters = { prop_dec = { 0, 90 } } })
  end)

  it("a crossmatch upload without the position columns", function()
    refused("data row 1 has no number in column 'dec'", mast.crossmatch.tic, { data = { { ra = 1, decl = 2 } } })
    local r = mast.catalogs.dd_cone { ra = 254.28746, dec = -4.09933, radius = 0.2 }
    H.reset()
    refused("the data has no column 'RA' %(its columns: designation, ", mast.crossmatch.tic,
      { data = r, ra_column = "RA" })
  end)

  it("count options that make no sense for a count", function()
    refused("unknown option 'page'", mast.catalogs.tic_filtered_count, { filters = { Tmag = { 8, 9 } }, page = 2 })
    refused("unknown option 'all'", mast.jwst.count, { instrument = "Miri", filters = { prop_dec = { 0, 90 } },
                                                      all = true })
    refused("'max_rows' applies only with all = true", mast.caom.cone, { ra = 1, dec = 2, max_rows = 10 })
    refused("all = true fetches every page: leave out page", mast.caom.cone, { ra = 1, dec = 2, all = true, page = 2 })
  end)

  it("positional arguments or a colon call", function()
    refused("options must be named", mast.caom.cone, { 210.8, 54.3 })
    refused("expected a table of options such as {ra = 254.28746", mast.caom.cone, "M101")
    refused("called with a colon: write mast%.caom%.cone{...}", mast.caom.cone, mast.caom, { ra = 1, dec = 2 })
  end)
end)

describe("every page as one result (all = true)", function()
  before_each(H.reset)

  it("fetches the pages and joins their rows", function()
    local one = mast.catalogs.tic_cone { ra = 254.28746, dec = -4.09933, radius = 0.2 }
    local total = one:count()
    assert.is_true(total > 250)
    H.reset()
    local all = mast.catalogs.tic_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, all = true, pagesize = 100,
                                         timeout = 10 }
    assert.equal(total, all:count())
    assert.same(one.data, all.data)
    local log = H.invokes()
    assert.equal(math.ceil(total / 100), #log)
    local pages = {}
    for _, q in ipairs(log) do
      assert.equal(100, q.request.pagesize)
      assert.equal(10, q.request.timeout)
      pages[q.request.page] = true
    end
    for p = 1, #log do assert.is_true(pages[p]) end
  end)

  it("keeps to a row budget", function()
    local e = H.raises("memory", mast.catalogs.tic_cone, { ra = 254.28746, dec = -4.09933, radius = 0.2, all = true,
                                                          pagesize = 100, max_rows = 50 })
    assert.matches("max_rows = 50", e.message)
    assert.equal(1, #H.invokes())
  end)
end)

describe("the JWST keyword search", function()
  before_each(H.reset)

  it("works for all seven instruments", function()
    for _, name in ipairs({ "Nircam", "niriss", "NIRSPEC", "Miri", "fgs", "guidestar", "Wss" }) do
      H.reset()
      local n = mast.jwst.count { instrument = name, filters = { prop_dec = { 0, 90 } } }
      assert.equal("integer", math.type(n))
      local canonical
      for _, c in ipairs(mast.jwst.instruments) do if c:lower() == name:lower() then canonical = c end end
      assert.equal("Mast.Jwst.Filtered." .. canonical, the_only_invoke().request.service)
      H.reset()
      local r = mast.jwst.search { instrument = name, filters = { prop_dec = { 0, 90 } }, pagesize = 5, page = 1 }
      assert.equal(math.min(5, n), r:count())
      assert.equal("*", the_only_invoke().request.params.columns)
    end
    assert.equal(7, #mast.jwst.instruments)
  end)
end)

describe("other formats", function()
  before_each(H.reset)

  it("a search asked for csv or votable hands back the text", function()
    local csv = mast.catalogs.dd_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, format = "csv" }
    assert.equal("string", type(csv))
    assert.equal("csv", the_only_invoke().request.format)
    assert.matches("designation", csv)
  end)
end)

describe("a position and radius as people write them", function()
  before_each(H.reset)

  it("sends a radius of '3 arcmin' as 0.05 degrees and reads sexagesimal coordinates", function()
    mast.caom.cone { coordinates = "14:03:12.6 +54:20:56", radius = "3 arcmin" }
    local p = the_only_invoke().request.params
    assert.equal(0.05, p.radius)
    assert.is_true(math.abs(p.ra - 210.8025) < 1e-9)
    assert.is_true(math.abs(p.dec - (54 + 20 / 60 + 56 / 3600)) < 1e-9)
    H.reset()
    mast.caom.filtered_position_count { coordinates = "210.8 54.35", radius = "30 arcsec",
                                        filters = { dataproduct_type = "image" } }
    assert.matches("^210%.8, 54%.35, 0%.00833%d*$", H.invokes()[1].request.params.position)
  end)

  it("refuses a malformed position or radius before sending", function()
    local e = H.raises("usage", mast.caom.cone, { coordinates = "14h03m +54", radius = 0.1 })
    assert.matches("14:03:12.6 +54:20:56", e.message, 1, true)
    e = H.raises("usage", mast.caom.cone, { ra = 1, dec = 2, radius = "3 parsecs" })
    assert.matches("radius", e.message, 1, true)
    assert.equal(0, #H.invokes())
  end)
end)
