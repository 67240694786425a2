-- The Missions search API (mast.missions.search/columns/products/download_products),
-- against the sandbox's /search/<mission>/api/v0.1/ endpoints.
local mast = require "mast"
local core = require "mast.core"

local REC_CRITERIA = { sci_obs_type = "", sci_aec = "S",
                       sci_instrume = "STIS,ACS,WFC3,COS,FGS,FOC,FOS,HRS,HSP,NICMOS,WFPC,WFPC2" }

local function searches()
  local out = {}
  for _, r in ipairs(H.requests()) do
    if r.path:match("^/search/[^/]+/api/v0%.1/search$") then out[#out + 1] = r end
  end
  return out
end

local function body_of(r) return core.json_decode(r.body) end

describe("mast.missions.search", function()
  before_each(H.reset)

  it("parses the recorded answer to its three rows, trimming padded strings", function()
    local r = mast.missions.search("hst", REC_CRITERIA, { ra = 40.66963, dec = -0.01328 })
    assert.equal(3, #r.data)
    local recorded = core.json_decode(H.fixture("astroquery-main/mission_results.json"))
    for i, row in ipairs(recorded.results) do
      assert.equal(row.sci_data_set_name, r.data[i].sci_data_set_name)
      assert.equal(row.sci_pep_id, r.data[i].sci_pep_id)
      assert.equal(math.type(row.sci_pep_id), math.type(r.data[i].sci_pep_id))
      assert.equal((row.sci_instrume:gsub("%s+$", "")), r.data[i].sci_instrume)
    end
    assert.equal("WFPC", r.data[1].sci_instrume)               -- "WFPC  " on the wire
    assert.equal("1993-09-24T21:00:16.633000", r.data[1].sci_start_time)   -- dates stay ISO text
    assert.equal(core.null, r.data[1].scp_scan_type)
    local types = {}
    for _, f in ipairs(r.fields) do types[f.name] = f.type end
    assert.equal("datetime", types.sci_release_date)
    assert.equal("string", types.sci_targname)
    assert.equal("int", types.sci_pep_id)
    -- a dataset like the invoke API's: CSV and the columnar table take it
    assert.matches("^sci_release_date,", mast.json2csv(r))
    assert.equal(3, #mast.json2table(r):column("sci_data_set_name"))
  end)

  it("sends the position in arcseconds and the criteria as conditions, lists comma-joined", function()
    local r = mast.missions.search("hst", { sci_instrume = { "WFC3", "ACS" }, sci_pep_id = 3945 },
      { ra = 10.68, dec = 41.27, radius = "20 arcmin", limit = 7 })
    local sent = searches()
    assert.equal(1, #sent)
    local b = body_of(sent[1])
    assert.same({ "10.68 41.27" }, b.target)
    assert.equal(1200, b.radius)
    assert.equal("arcseconds", b.radius_units)
    assert.same({ { sci_instrume = "WFC3,ACS" }, { sci_pep_id = "3945" } }, b.conditions)
    assert.equal(7, b.limit)
    assert.equal(0, b.offset)
    for _, row in ipairs(r.data) do
      assert.equal(3945, row.sci_pep_id)
      assert.is_true(row.sci_instrume == "WFC3" or row.sci_instrume == "ACS")
      assert.is_true(row.ang_sep <= 20)
    end
  end)

  it("finds the same observations at a position as the Portal's CAOM cone", function()
    local r = mast.missions.search("hst", {}, { ra = 10.68, dec = 41.27, radius = 0.2 })
    local cone = mast.caom.cone { ra = 10.68, dec = 41.27, radius = 0.2 }
    local hst = {}
    for _, row in ipairs(cone.data) do
      if row.obs_collection == "HST" then hst[row.obs_id:upper()] = true end
    end
    local n = 0
    for _, row in ipairs(r.data) do
      assert.is_true(hst[row.sci_data_set_name], row.sci_data_set_name)
      n = n + 1
    end
    assert.is_true(n > 0)
  end)

  it("counts without rows, and pages through offset concurrently for all = true", function()
    local n = mast.missions.search("hst", { sci_instrume = "WFC3" }, { count = true })
    assert.equal("integer", math.type(n))
    assert.is_true(n > 2500, "enough rows for several pages: " .. n)
    H.reset()
    local all = mast.missions.search("hst", { sci_instrume = "WFC3" }, { all = true, pagesize = 1000 })
    assert.equal(n, #all.data)
    assert.equal(n, all.paging.rowsFiltered)
    local sent = searches()
    assert.equal(math.ceil(n / 1000), #sent)
    local offsets, seen = {}, {}
    for _, q in ipairs(sent) do offsets[#offsets + 1] = body_of(q).offset end
    table.sort(offsets)
    for i, o in ipairs(offsets) do assert.equal((i - 1) * 1000, o) end
    for _, row in ipairs(all.data) do
      assert.is_nil(seen[row.sci_data_set_name], "no row twice")
      seen[row.sci_data_set_name] = true
    end
  end)

  it("takes time criteria as ISO or MJD, a pair as a range", function()
    local where = { ra = 40.66963, dec = -0.01328, radius = "30 arcmin",
                    select_cols = "sci_data_set_name,sci_start_time" }
    local all = mast.missions.search("hst", {}, where)
    local iso = mast.missions.search("hst", { sci_start_time = { "2010-01-01", "2015-01-01" } }, where)
    H.reset()
    local mjd = mast.missions.search("hst", { sci_start_time = { 55197, 57023 } }, where)
    assert.equal("2010-01-01T00:00:00.000..2015-01-01T00:00:00.000",
      body_of(searches()[1]).conditions[1].sci_start_time)
    assert.is_true(#iso.data > 0 and #iso.data < #all.data)
    assert.equal(#iso.data, #mjd.data)
    for i, row in ipairs(iso.data) do
      assert.is_true(row.sci_start_time >= "2010-01-01" and row.sci_start_time < "2015-01-02", row.sci_start_time)
      assert.equal(row.sci_data_set_name, mjd.data[i].sci_data_set_name)
    end
    H.raises("usage", mast.missions.search, "hst", { sci_start_time = { 1, 2, 3 } }, where)
  end)

  it("names a wrong column with the closest real one, case-insensitively, before sending a search", function()
    local e = H.raises("usage", mast.missions.search, "hst", { sci_instrum = "WFC3" })
    assert.matches("no column 'sci_instrum'", e.message)
    assert.matches("did you mean 'sci_instrume'", e.message)
    assert.equal("mast.missions.search", e.fn)
    H.raises("usage", mast.missions.search, "hst", {}, { select_cols = { "sci_ra", "nope_col" } })
    H.raises("usage", mast.missions.search, "hst", {}, { sort_by = "sci_tragname" })
    assert.equal(0, #searches())
    local r = mast.missions.search("hst", { SCI_INSTRUME = "ACS" }, { ra = 10.68, dec = 41.27, radius = 0.2 })
    assert.same({ sci_instrume = "ACS" }, body_of(searches()[1]).conditions[1])
    for _, row in ipairs(r.data) do assert.equal("ACS", row.sci_instrume) end
  end)

  it("refuses a radius over 30 arcmin, a bad unit, an unknown mission, before sending anything", function()
    assert.matches("30 arcmin", H.raises("usage", mast.missions.search, "hst", {},
      { ra = 1, dec = 2, radius = "31 arcmin" }).message)
    H.raises("usage", mast.missions.search, "hst", {}, { ra = 1, dec = 2, radius = 0.6 })
    H.raises("usage", mast.missions.search, "hst", {}, { ra = 1, dec = 2, radius = "3 parsec" })
    assert.matches("did you mean 'hst'", H.raises("usage", mast.missions.search, "hsst", {}).message)
    assert.equal(0, #H.requests())
  end)

  it("reports the server's own words for a criterion it cannot use", function()
    local e = H.raises("http", mast.missions.search, "hst", { sci_pep_id = "<abc" })
    assert.equal(400, e.status)
    assert.matches("Invalid value 'abc' for column 'sci_pep_id'", tostring(e), 1, true)
    assert.equal("mast.missions.search", e.fn)
  end)
end)

describe("mast.missions products", function()
  before_each(H.reset)

  it("lists the recorded products of a dataset, and flattens a nested answer", function()
    local p = mast.missions.products("hst", { "Z14Z0104T" })
    local recorded = core.json_decode(H.fixture("astroquery-main/mission_products.json")).products
    assert.equal(#recorded, #p.data)
    for i, row in ipairs(recorded) do
      assert.equal(row.uri, p.data[i].uri)
      assert.equal(row.size, p.data[i].size)
    end
    assert.equal("HRS", p.data[1].instrument_name)
    local r = mast.missions.search("hst", REC_CRITERIA, { ra = 40.66963, dec = -0.01328 })
    local many = mast.missions.products("hst", r)    -- the sandbox nests a many-dataset answer
    assert.equal(3 * 4, #many.data)
    assert.equal("W1DG8D06T", many.data[1].dataset)
  end)

  it("sends 1,000 dataset ids a request", function()
    local ids = {}
    for i = 1, 2100 do ids[i] = ("X%08d"):format(i) end
    local p = mast.missions.products("hst", ids)
    assert.equal(2100 * 4, #p.data)
    local sizes = {}
    for _, r in ipairs(H.requests()) do
      if r.path:match("post_list_products$") then sizes[#sizes + 1] = #body_of(r).dataset_ids end
    end
    table.sort(sizes)
    assert.same({ 100, 1000, 1000 }, sizes)
  end)

  it("downloads through retrieve_product's redirect, whole, and the token only to MAST", function()
    local dir = H.tmpdir()
    core.config("token", "sandbox-token")
    local p = mast.missions.products("hst", { "Z14Z0104T" })
    local m = mast.missions.download_products("hst", p, dir)
    assert.equal(#p.data, #m)
    for i, e in ipairs(m) do
      assert.equal("COMPLETE", e.status, tostring(e.message))
      assert.equal(dir .. "/Z14Z0104T/" .. p.data[i].filename, e.local_path)
      assert.equal(p.data[i].size, select(2, core.stat(e.local_path)))
      assert.is_nil(core.stat(e.local_path .. ".part"))
    end
    local to_mast, to_s3 = 0, 0
    for _, r in ipairs(H.requests()) do
      if r.path:match("retrieve_product$") then
        to_mast = to_mast + 1
        assert.equal("token sandbox-token", r.headers["authorization"])
      elseif r.path:match("^/stpubdata/") then
        to_s3 = to_s3 + 1
        assert.is_nil(r.headers["authorization"])
      end
    end
    assert.equal(#p.data, to_mast)
    assert.equal(#p.data, to_s3)
    os.execute("rm -rf " .. H.quote(dir))
  end)

  it("fetches products as one zip through retrieve_product_zip, the same bytes, unpacked safely", function()
    local dir = H.tmpdir()
    local p = mast.missions.products("hst", { "IEBO01010", "IEBO01020" })
    local one = mast.missions.download_products("hst", { p.data[1] }, dir .. "/single")
    local z = mast.missions.download_zip("hst", p, dir .. "/all.zip", { extract = dir .. "/x" })
    assert.equal(dir .. "/all.zip", z.path)
    assert.equal(select(2, core.stat(z.path)), z.bytes)
    assert.is_nil(core.stat(z.path .. ".part"))
    local got = {}
    for _, f in ipairs(z.files) do got[f.path or f[1]] = true end
    for _, row in ipairs(p.data) do assert.is_true(got[dir .. "/x/" .. row.uri], row.uri) end
    assert.equal(H.read(one[1].local_path), H.read(dir .. "/x/" .. p.data[1].uri))
    -- the form MAST's own scripts send: multipart, mission upper-case, uris comma-joined
    local sent
    for _, r in ipairs(H.requests()) do
      if r.path:match("retrieve_product_zip$") then sent = r end
    end
    assert.matches("^multipart/form%-data; boundary=", sent.headers["content-type"])
    assert.matches('name="mission"\r\n\r\nHST\r\n', sent.body, 1, true)
    assert.matches('name="uri"\r\n\r\n' .. p.data[1].uri .. ",", sent.body, 1, true)
    -- flat: the files' own names
    local f = mast.missions.download_zip("hst", { p.data[1].uri }, dir .. "/flat.zip",
      { structure = "flat", extract = dir .. "/f" })
    assert.is_truthy(core.stat(dir .. "/f/" .. p.data[1].filename))
    assert.is_true(#f.files >= 1)
    -- an unknown product: an error, and no file at the path
    H.raises("http", mast.missions.download_zip, "hst", { "NOPE/x.fits" }, dir .. "/bad.zip")
    assert.is_nil(core.stat(dir .. "/bad.zip"))
    H.raises("usage", mast.missions.download_zip, "hst", { "no-slash" }, dir .. "/bad.zip")
    os.execute("rm -rf " .. H.quote(dir))
  end)
end)

describe("mast.missions.columns", function()
  before_each(H.reset)

  it("gives the recorded column list with descriptions, asked once per process", function()
    local c = mast.missions.columns("hst")
    assert.equal(57, #c.data)
    local by = {}
    for _, row in ipairs(c.data) do by[row.name] = row end
    assert.equal("Dataset", by.sci_data_set_name.label)
    assert.is_true(by.sci_data_set_name.queryable)
    assert.matches("^Data set name", by.sci_data_set_name.description)
    mast.missions.columns("hst")
    local asked = 0
    for _, r in ipairs(H.requests()) do if r.path:match("column_list$") then asked = asked + 1 end end
    assert.is_true(asked <= 1)
  end)
end)
