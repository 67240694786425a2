-- Criteria that mean what they say, against the sandbox: the Filtered
-- wrappers read MAST's column configuration (once) and encode each plain
-- criterion by its column's kind; wrong names are refused before anything is sent.
local mast = require "mast"

local function count(filters) return mast.caom.filtered_count { filters = filters } end

-- The requests of one path since the last reset.
local function requests_to(path)
  local out = {}
  for _, r in ipairs(H.requests()) do
    if r.path:find(path, 1, true) then out[#out + 1] = r end
  end
  return out
end

describe("criteria against the sandbox", function()
  before_each(function() H.reset() end)

  it("reads a list on a discrete column as values, not as a range", function()
    local list = count { proposal_id = { 1256, 5160 } }
    local range = count { proposal_id = { values = { { min = 1256, max = 5160 } } } }
    assert.is_true(list > 0)
    assert.is_true(range > list, ("range %d, list %d"):format(range, list))
    assert.equal(count { proposal_id = 1256 } + count { proposal_id = 5160 }, list)
  end)

  it("makes NGC* a wildcard that returns rows", function()
    local n = count { target_name = "NGC*" }
    assert.is_true(n > 0)
    assert.equal(0, count(mast.set_filters { target_name = { "NGC*" } }))   -- the literal, as before
    local r = mast.caom.filtered { filters = { target_name = "NGC*" }, pagesize = 20 }
    for _, row in ipairs(r.data) do assert.matches("^NGC", row.target_name) end
  end)

  it("matches a value inside multi-valued cells with the configuration's separator", function()
    -- the sandbox's F555W cells hold one filter; GR700XD appears only in "CLEAR;GR700XD"
    assert.equal(count(mast.set_filters { filters = { "F555W" } }), count { filters = "F555W" })
    local n = count { filters = "GR700XD" }
    assert.is_true(n > 0)
    assert.equal(0, count(mast.set_filters { filters = { "GR700XD" } }))   -- no separator: whole cells only
    local r = mast.caom.filtered { filters = { filters = "GR700XD" }, pagesize = 50 }
    for _, row in ipairs(r.data) do
      assert.is_truthy((";" .. row.filters .. ";"):find(";GR700XD;", 1, true), row.filters)
      assert.is_truthy(row.filters:find(";", 1, true), row.filters)
    end
  end)

  it("converts ISO dates on an MJD column to the same range in MJD", function()
    local iso = count { t_min = { "2010-01-01", "2012-01-01" } }
    assert.is_true(iso > 0)
    assert.equal(count { t_min = { 55197, 55927 } }, iso)
  end)

  it("refuses a wrong name with the closest real ones, sending no invoke", function()
    local e = H.raises("usage", mast.caom.filtered, { filters = { instrument = "WFC3" } })
    assert.matches("did you mean 'instrument_name'", e.message)
    e = H.raises("usage", mast.catalogs.tic_filtered_count, { filters = { Tef = { 4250, 4500 } } })
    assert.matches("did you mean 'Teff'", e.message)
    e = H.raises("usage", mast.caom.filtered_count, { filters = { t_exptime = "long" } })
    assert.matches("filter 't_exptime'", e.message)
    assert.equal(0, #H.invokes())
  end)

  it("sends a name in the configuration's spelling", function()
    assert.equal(count { instrument_name = "WFC3/UVIS" }, count { INSTRUMENT_NAME = "WFC3/UVIS" })
  end)

  it("fetches a configuration once per process", function()
    package.loaded["mast.columns"] = nil   -- as a new process, with nothing on disk yet
    local dir, before = H.tmpdir(), mast.config("cache_dir")
    mast.config { cache_dir = dir }
    finally(function()
      mast.config { cache_dir = before }
      os.execute("rm -rf " .. H.quote(dir))
    end)
    count { target_name = "M101" }
    count { dataproduct_type = "image" }
    mast.caom.filtered_position_count { ra = 210.8023, dec = 54.349, radius = 0.2,
                                        filters = { dataproduct_type = "image" } }
    mast.catalogs.tic_filtered_count { filters = { Teff = { 4250, 4500 } } }
    mast.catalogs.ctl_filtered_count { filters = { Teff = { 4250, 4500 } } }
    local cc = requests_to("/columnsconfig")
    assert.equal(2, #cc)
    assert.matches("colConfigId=Mast.Caom.Cone", cc[1].body, 1, true)
    assert.matches("colConfigId=Mast.Catalogs.Tess.Cone", cc[2].body, 1, true)
    assert.equal(5, #H.invokes())
  end)

  it("lists each service's columns", function()
    local by = {}
    for _, row in ipairs(mast.observations.columns().data) do by[row.name] = row end
    assert.equal("Instrument Name", by.instrument_name.description)
    assert.equal(";", by.filters.separator)
    local products = mast.observations.product_columns()
    assert.is_true(#products.data > 0)
    assert.is_true(#mast.catalogs.columns("dd").data > 0)
  end)
end)
