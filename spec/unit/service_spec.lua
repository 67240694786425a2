-- The wrapper machinery (mast.service) and the lazy service modules, with
-- the transport replaced by a recorder: no network.
local S = require "mast.service"
local transport = require "mast.transport"

describe("require 'mast'", function()
  it("loads no service module until one is used", function()
    local mast = require "mast"
    for _, name in ipairs({ "caom", "catalogs", "crossmatch", "hsc", "vo", "jwst", "hst", "missions", "resolver",
                            "csv", "columnar", "filters" }) do
      assert.is_nil(rawget(package.loaded, "mast." .. name), "mast." .. name .. " was loaded")
    end
    assert.equal("function", type(mast.caom.cone))
    assert.equal(require("mast.caom"), mast.caom)
    assert.equal(require("mast.caom"), rawget(mast, "caom"))
    assert.is_nil(mast.no_such_module)
    assert.is_nil(rawget(package.loaded, "mast.no_such_module"))
  end)

  it("has the page's helpers", function()
    local mast = require "mast"
    for _, name in ipairs({ "set_filters", "set_min_max", "json2csv", "json2table", "summary" }) do
      assert.equal("function", type(mast[name]), name)
    end
  end)
end)

describe("mast.service", function()
  it("suggests the nearest option name for a misspelling", function()
    local names = { "ra", "dec", "radius", "target", "pagesize", "page", "ra_column", "dec_column" }
    assert.equal("radius", S.suggest("radious", names))
    assert.equal("radius", S.suggest("raduis", names))
    assert.equal("pagesize", S.suggest("PageSize", names))
    assert.equal("target", S.suggest("taget", names))
    assert.equal("ra_column", S.suggest("raColumn", names))
    assert.is_nil(S.suggest("frobnicate", names))
    assert.is_nil(S.suggest(1, names))
  end)

  it("writes numbers exactly and shortest", function()
    assert.equal("5", S.number_text(5))
    assert.equal("0.24", S.number_text(0.24))
    assert.equal("210.8023", S.number_text(210.8023))
    assert.equal("5", S.number_text(5.0))
    assert.equal("0.30000000000000004", S.number_text(0.1 + 0.2))
    assert.equal("5853498713190525696", S.number_text(5853498713190525696))
  end)

  it("reads a count from Column1, a number or a string of digits", function()
    local function answer(v)
      return { data = { { Column1 = v } }, fields = { { name = "Column1", type = "string" } } }
    end
    assert.equal(599, S.count("f", answer(599)))
    assert.equal("integer", math.type(S.count("f", answer("599"))))
    assert.equal(599, S.count("f", answer(" 599 ")))
    assert.equal(599, S.count("f", answer(599.0)))
    assert.equal(12, S.count("f", { data = { { count = 12 } } }))
    assert.matches("^f: expected a count %(Column1%) in the answer, got 'many'",
      tostring(H.raises("mast", S.count, "f", answer("many"))))
    assert.matches("got no rows", H.raises("mast", S.count, "f", { data = {} }).message)
  end)
end)

describe("the wrappers, offline", function()
  local sent, answer, real_query, real_all, restore_fetch

  before_each(function()
    sent = {}
    local _
    _, restore_fetch = H.fake_columns()   -- the Filtered wrappers read the recorded column configurations
    answer = { status = "COMPLETE", msg = "", fields = { { name = "Column1", type = "string" } },
               data = { { Column1 = 7 } } }
    real_query, real_all = transport.one, transport.all
    transport.one = function(_, request, opts)
      sent[#sent + 1] = { request = request, opts = opts, all = false }
      return answer
    end
    transport.all = function(_, request, opts)
      sent[#sent + 1] = { request = request, opts = opts, all = true }
      return answer
    end
  end)

  after_each(function()
    transport.one, transport.all = real_query, real_all
    restore_fetch()
  end)

  local mast = require "mast"

  it("send the position string of Mast.Caom.Filtered.Position as the page writes it", function()
    assert.equal(7, mast.caom.filtered_position_count { ra = 210.8023, dec = 54.349, radius = 5,
                                                         filters = { dataproduct_type = { "cube", "image" } } })
    assert.equal("210.8023, 54.349, 5", sent[1].request.params.position)
    assert.equal("COUNT_BIG(*)", sent[1].request.params.columns)
    mast.caom.filtered_position { ra = 210.8023, dec = 54.349, radius = 0.24 }
    assert.equal("210.8023, 54.349, 0.24", sent[2].request.params.position)
    assert.equal('{"format":"json","params":{"columns":"*","filters":[],"position":"210.8023, 54.349, 0.24"},'
      .. '"service":"Mast.Caom.Filtered.Position"}', mast.json.encode(sent[2].request))
  end)

  it("send a list of obsids comma-joined, one as it is", function()
    mast.caom.products { obsid = { 2003738726, "2003738727", 3 } }
    assert.equal("2003738726,2003738727,3", sent[1].request.params.obsid)
    mast.caom.products { obsid = 2003738726 }
    assert.equal(2003738726, sent[2].request.params.obsid)
    mast.caom.products { obsid = { 42 } }
    assert.equal(42, sent[3].request.params.obsid)
    H.raises("usage", mast.caom.products, { obsid = "20037x" })
    H.raises("usage", mast.caom.products, { obsid = {} })
    assert.equal(3, #sent)
  end)

  it("send no params at all for Mast.HscSpectra.Db.All", function()
    mast.hsc.spectra { format = "votable" }
    assert.same({ service = "Mast.HscSpectra.Db.All", format = "votable" }, sent[1].request)
  end)

  it("pass deadline and progress to the transport, and ask it for every page for all = true", function()
    answer = { status = "COMPLETE", fields = {}, data = {} }
    mast.vo.cone { ra = 1, dec = 2, deadline = 30, progress = false }
    assert.same({ deadline = 30, progress = false }, sent[1].opts)
    assert.is_false(sent[1].all)
    mast.vo.cone { ra = 1, dec = 2, all = true, pagesize = 500, max_rows = 10000, concurrency = 2 }
    assert.is_true(sent[2].all)
    assert.equal(500, sent[2].request.pagesize)
    assert.equal(10000, sent[2].opts.max_rows)
    assert.equal(2, sent[2].opts.concurrency)
  end)

  it("hand back a count as a Lua integer and mission names as a list", function()
    local n = mast.catalogs.dd_filtered_count { filters = { classifiers = { 10, 18 } } }
    assert.equal("integer", math.type(n))
    assert.is_nil(sent[1].request.params.columns)
    answer = { status = "COMPLETE", fields = { { name = "distinctValue", type = "string" } },
               data = { { distinctValue = "HST" }, { distinctValue = "TESS" } } }
    assert.same({ "HST", "TESS" }, mast.missions.list())
    assert.same({ service = "Mast.Missions.List", format = "json", params = {} }, sent[2].request)
    assert.equal('{"format":"json","params":{},"service":"Mast.Missions.List"}', mast.json.encode(sent[2].request))
  end)

  it("build the upload from rows, with extra columns typed, or take a result as it is", function()
    answer = { status = "COMPLETE", fields = {}, data = {} }
    mast.crossmatch.sdss { data = { { ra = 1.5, dec = 2, id = 7, name = "a" }, { ra = 3, dec = 4.5, id = 8.5 } } }
    local up = sent[1].request.data
    assert.same({ { name = "ra", type = "float" }, { name = "dec", type = "float" }, { name = "id", type = "float" },
                  { name = "name", type = "string" } }, up.fields)
    assert.equal(2, #up.data)
    local cone = { status = "COMPLETE", msg = "", fields = { { name = "s_ra", type = "float" },
      { name = "s_dec", type = "float" } }, data = { { s_ra = 1, s_dec = 2 } } }
    mast.crossmatch.caom { data = cone }
    assert.equal(cone, sent[2].request.data)
    assert.equal("s_ra", sent[2].request.params.raColumn)
    assert.equal("s_dec", sent[2].request.params.decColumn)
    mast.crossmatch.caom { data = mast.json2table(cone), radius = 0.01 }
    assert.same({ { s_ra = 1, s_dec = 2 } }, sent[3].request.data.data)
  end)

  it("send nothing when the arguments are wrong", function()
    H.raises("usage", mast.caom.cone, { ra = 1, dec = 2, radius = "0.2" })
    H.raises("usage", mast.catalogs.tic_filtered, { filters = { Teff = { 4500, 4250 } } })
    H.raises("usage", mast.crossmatch.tic, { data = { { ra = "1", dec = 2 } } })
    H.raises("usage", mast.hsc.cone, { ra = 1, dec = 2, version = 4 })
    H.raises("usage", mast.caom.filtered, { filters = { a = 1 }, obstype = "sciense" })
    H.raises("usage", mast.caom.cone, { ra = 1, dec = 2, format = "extjs" })
    H.raises("usage", mast.caom.cone, { ra = 1, dec = 2, cachebreaker = false })
    H.raises("usage", mast.hsc.spectrum_url, { DatasetName = "../../etc/passwd", SpectrumType = 1 })
    H.raises("usage", mast.resolver.lookup, "  ")
    assert.equal(0, #sent)
  end)

  it("build HLA URLs for spectra by SpectrumType", function()
    local base = mast.config("hla_url")
    local url, file = mast.hsc.spectrum_url { DatasetName = "HAG_J072655.67+691648.9_J8HPAXAEQ_V01.SPEC1D",
                                              SpectrumType = 2 }
    assert.equal(base .. "/cgi-bin/ecfproxy?file_id=HAG_J072655.67%2B691648.9_J8HPAXAEQ_V01.SPEC1D.fits", url)
    assert.equal("HAG_J072655.67+691648.9_J8HPAXAEQ_V01.SPEC1D.fits", file)
    url, file = mast.hsc.spectrum_url { DatasetName = "O6H00AP5Q", SpectrumType = 1 }
    assert.equal(base .. "/cgi-bin/getdata.cgi?config=ops&dataset=O6H00AP5Q", url)
    assert.equal("O6H00AP5Q", file)
  end)
end)
