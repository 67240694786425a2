-- Plain-table criteria checked against MAST's column configuration and
-- encoded by the column's kind (mast.columns, mast.filters.build), from the
-- recorded configurations: no network.
local mast = require "mast"
local core = require "mast.core"
local filters = require "mast.filters"
local columns = require "mast.columns"
local json = mast.json

local fetched, restore

-- The filter list the Filtered wrappers build for t against config id.
local function build(t, id)
  id = id or "Mast.Caom.Cone"
  return filters.build("mast.test", t, function() return columns.config("mast.test", id), id end)
end

local function wire(list) return json.encode(list) end

describe("criteria by the column configuration", function()
  before_each(function() fetched, restore = H.fake_columns() end)
  after_each(function() restore() end)

  it("sends a list on a discrete column as values, where the shape alone made it a range", function()
    assert.equal('[{"paramName":"proposal_id","values":[1256,5160]}]', wire(build { proposal_id = { 1256, 5160 } }))
    -- without the configuration (as before) the same table is a range
    assert.equal('[{"paramName":"proposal_id","values":[{"max":5160,"min":1256}]}]',
      wire(filters.build("mast.test", { proposal_id = { 1256, 5160 } })))
    -- int columns are discrete too, as astroquery decides (only double/float/numeric/treatNumeric are ranges)
    assert.equal('[{"paramName":"calib_level","values":[2,3]}]', wire(build { calib_level = { 2, 3 } }))
    assert.equal('[{"paramName":"calib_level","values":[{"max":3,"min":2}]}]',
      wire(build { calib_level = { min = 2, max = 3 } }))
  end)

  it("keeps two numbers on a continuous column a range and one number an exact value", function()
    assert.equal('[{"paramName":"t_exptime","values":[{"max":2000,"min":1000}]}]',
      wire(build { t_exptime = { 1000, 2000 } }))
    assert.equal('[{"paramName":"t_exptime","values":[1000]}]', wire(build { t_exptime = 1000 }))
    assert.equal('[{"paramName":"t_exptime","values":[1,2,3]}]', wire(build { t_exptime = { 1, 2, 3 } }))
    assert.equal('[{"paramName":"classifiers","values":[{"max":18,"min":10}]}]',
      wire(build({ classifiers = { 10, 18 } }, "Mast.Catalogs.Dd.Cone")))     -- treatNumeric
    -- the TIC's configuration gives no types: the shape decides, as before
    assert.equal('[{"paramName":"Teff","values":[{"max":4500,"min":4250}]}]',
      wire(build({ Teff = { 4250, 4500 } }, "Mast.Catalogs.Tess.Cone")))
  end)

  it("makes a string with * or % MAST's freeText wildcard on a discrete column", function()
    assert.equal('[{"freeText":"NGC%","paramName":"target_name","values":[]}]', wire(build { target_name = "NGC*" }))
    assert.equal('[{"freeText":"%200%","paramName":"obs_id","values":[]}]', wire(build { obs_id = "%200%" }))
    local e = H.raises("usage", build, { target_name = { "NGC*", "M31" } })
    assert.matches("filter 'target_name': value 1 %('NGC%*'%) is a wildcard", e.message)
  end)

  it("gives multi-valued columns the configuration's separator", function()
    assert.equal('[{"paramName":"filters","separator":";","values":["F555W"]}]', wire(build { filters = "F555W" }))
    assert.equal('[{"paramName":"target_classification","separator":";","values":["Star","Galaxy"]}]',
      wire(build { target_classification = { "Star", "Galaxy" } }))
    assert.equal('[{"paramName":"obs_collection","separator":";","values":["HST"]}]',
      wire(build { obs_collection = { values = { "HST" } } }))
  end)

  it("converts ISO dates for MJD columns, and refuses what MAST's SQL would choke on", function()
    local lo, hi = mast.time.mjd("2010-01-01"), mast.time.mjd("2012-01-01")
    assert.same({ { paramName = "t_min", values = { { min = lo, max = hi } } } },
      build { t_min = { "2010-01-01", "2012-01-01" } })
    assert.same({ { paramName = "t_max", values = { { min = 55197, max = hi } } } },
      build { t_max = { min = 55197, max = "2012-01-01" } })
    assert.same({ { paramName = "t_obs_release", values = { 55197.5 } } },
      build { t_obs_release = "2010-01-01T12:00:00" })
    assert.same({ { paramName = "t_exptime", values = { 1000 } } }, build { t_exptime = "1000" })
    local e = H.raises("usage", build, { t_exptime = "long" })
    assert.matches("filter 't_exptime' is a numeric %(double%) column", e.message)
    e = H.raises("usage", build, { t_min = "2010-13-01" })
    assert.matches("filter 't_min': expected an ISO 8601 UTC date", e.message)
    e = H.raises("usage", build, { t_min = { "2012-01-01", "2010-01-01" } })
    assert.matches("filter 't_min': the range's min", e.message)
    e = H.raises("usage", build, { s_ra = "NGC*" })
    assert.matches("filter 's_ra' is a numeric", e.message)
  end)

  it("refuses a column the service lacks, with the closest real names, and matches case-insensitively", function()
    local e = H.raises("usage", build, { instrument = "WFC3" })
    assert.matches("filter 'instrument': Mast.Caom.Cone has no such column %(did you mean 'instrument_name'", e.message)
    e = H.raises("usage", build, { proposal = "1" })
    assert.matches("'proposal_id'", e.message)
    assert.matches("'proposal_pi'", e.message)
    e = H.raises("usage", build, { tmag = 1 }, "Mast.Catalogs.Dd.Cone")
    assert.matches("Mast.Catalogs.Dd.Cone has no such column", e.message)
    assert.same({ { paramName = "instrument_name", values = { "WFC3/UVIS" } } },
      build { INSTRUMENT_NAME = "WFC3/UVIS" })
    assert.same({ { paramName = "Teff", values = { { min = 1, max = 2 } } } },
      build({ teff = { 1, 2 } }, "Mast.Catalogs.Tess.Cone"))
    e = H.raises("usage", build, { { "Teff", { 1, 2 } }, { "teff", { 3, 4 } } }, "Mast.Catalogs.Tess.Cone")
    assert.matches("the column 'Teff' is filtered twice", e.message)
  end)

  it("sends mast.set_filters' lists as given, without reading the configuration", function()
    local f = mast.set_filters { filters = { "NUV", "FUV" }, instrument = { "x" } }
    assert.same(f, build(f))
    assert.equal(0, #fetched)
  end)

  it("reads a configuration once per process", function()
    package.loaded["mast.columns"], package.loaded["mast.observations"] = nil, nil   -- a fresh process
    local diskcache = require "mast.diskcache"
    local get = diskcache.get
    diskcache.get = function() return nil end   -- nothing on disk yet
    finally(function() diskcache.get = get end)
    local fresh = require "mast.columns"
    local function via_fresh(t)
      return filters.build("mast.test", t, function() return fresh.config("mast.test", "Mast.Caom.Cone"), "x" end)
    end
    via_fresh { target_name = "M101" }
    via_fresh { t_min = { 1, 2 } }
    require("mast.observations").columns()
    assert.same({ "Mast.Caom.Cone" }, fetched)
  end)
end)

describe("the column metadata", function()
  before_each(function() fetched, restore = H.fake_columns() end)
  after_each(function() restore() end)

  it("lists the observations' columns with type, description, units and separator", function()
    local r = mast.observations.columns()
    local by = {}
    for _, row in ipairs(r.data) do by[row.name] = row end
    assert.same({ name = "instrument_name", type = "char", description = "Instrument Name", units = mast.null,
                  separator = mast.null }, by.instrument_name)
    assert.equal("MJD", by.t_min.units)
    assert.equal("double", by.t_min.type)
    assert.equal(";", by.filters.separator)
    assert.is_nil(by.obs_creator_name)   -- removed in the configuration
    assert.is_nil(by._selected_)
    assert.equal(31, #r.data)
    assert.equal(5, #r.fields)
  end)

  it("lists the TIC's, CTL's and Disk Detective's", function()
    assert.equal(88, #mast.catalogs.columns("tic").data)
    assert.equal(88, #mast.catalogs.columns("ctl").data)
    assert.equal(35, #mast.catalogs.columns("dd").data)
    assert.matches("unknown option 'deadlin'",
      H.raises("usage", mast.observations.columns, { deadlin = 3 }).message)
    local e = H.raises("usage", mast.catalogs.columns, "gaia")
    assert.matches("expected 'tic', 'ctl' or 'dd', got 'gaia'", e.message)
  end)

  it("keeps a configuration on disk for a week, and reads it from there", function()
    local diskcache = require "mast.diskcache"
    local get, put = diskcache.get, diskcache.put
    local stored = {}
    diskcache.put = function(key, bytes, ttl) stored[#stored + 1] = { key, bytes, ttl } end
    diskcache.get = function(key)
      -- the key names the server, then the configuration
      local base = core.config("base_url")
      if key == "columnsconfig/" .. base .. "/Mast.Catalogs.Dd.Cone" then
        return H.fixture("astroquery-main/ddcolumns.json")
      end
      if key == "columnsconfig/" .. base .. "/Mast.Catalogs.Tess.Cone" then return "{broken" end
      return nil
    end
    package.loaded["mast.columns"] = nil   -- a fresh process
    local ok, err = pcall(function()
      local fresh = require "mast.columns"
      assert.is_true(fresh.config("f", "Mast.Catalogs.Dd.Cone").classifiers.continuous)
      assert.same({}, fetched)                                   -- from the disk
      assert.is_table(fresh.config("f", "Mast.Catalogs.Tess.Cone").Teff)
      assert.same({ "Mast.Catalogs.Tess.Cone" }, fetched)       -- broken on disk: fetched again
      assert.equal(1, #stored)
      assert.equal("columnsconfig/" .. core.config("base_url") .. "/Mast.Catalogs.Tess.Cone", stored[1][1])
      assert.equal(H.fixture("astroquery-main/ticcolumns.json"), stored[1][2])
      assert.equal(7 * 24 * 3600, stored[1][3])
    end)
    diskcache.get, diskcache.put = get, put
    assert(ok, err)
  end)

  it("says so when MAST has no configuration for an id", function()
    local e = H.raises("mast", columns.config, "mast.test", "Mast.No.Such")
    assert.matches("MAST has no column configuration for 'Mast.No.Such'", e.message)
  end)
end)
