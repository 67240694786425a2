-- mast.observations.query_region / query_object / query_criteria (+ _count): the service is
-- chosen from what was given, criteria at the top level, against the sandbox.
local mast = require "mast"

local function services()
  local out = {}
  for _, r in ipairs(H.invokes()) do
    if r.request and r.request.service ~= "Mast.Name.Lookup" then out[#out + 1] = r.request end
  end
  return out
end

describe("mast.observations", function()
  before_each(H.reset)

  it("query_region is a CAOM cone, its count a COUNT_BIG of the same region", function()
    local r = mast.observations.query_region { coordinates = "16h57m09.0s -04d05m57.6s", radius = "12 arcmin" }
    local sent = services()[1]
    assert.equal("Mast.Caom.Cone", sent.service)
    assert.near(254.2875, sent.params.ra, 1e-9)
    assert.near(0.2, sent.params.radius, 1e-12)
    local seed = mast.caom.cone { ra = sent.params.ra, dec = sent.params.dec, radius = 0.2 }
    assert.equal(#seed.data, #r.data)
    H.reset()
    local n = mast.observations.query_region_count { ra = sent.params.ra, dec = sent.params.dec, radius = 0.2 }
    assert.equal(#r.data, n)
    assert.equal("Mast.Caom.Filtered.Position", services()[1].service)
  end)

  it("query_criteria takes criteria at the top level: Filtered, or Filtered.Position with a place", function()
    local r = mast.observations.query_criteria { obs_collection = "HST", dataproduct_type = "image" }
    local sent = services()[1]
    assert.equal("Mast.Caom.Filtered", sent.service)
    assert.equal(2, #sent.params.filters)
    local seed = mast.caom.filtered { filters = { obs_collection = "HST", dataproduct_type = "image" } }
    assert.equal(#seed.data, #r.data)
    assert.equal(#r.data, mast.observations.query_criteria_count { obs_collection = "HST", dataproduct_type = "image" })
    H.reset()
    local near = mast.observations.query_criteria { objectname = "M101", radius = "6 arcmin", obs_collection = "HST" }
    local s = services()
    assert.equal("Mast.Caom.Filtered.Position", s[1].service)
    assert.matches("^210%.8", s[1].params.position)
    for _, row in ipairs(near.data) do assert.equal("HST", row.obs_collection) end
  end)

  it("query_object resolves the name and searches around it", function()
    local r = mast.observations.query_object("M101", { radius = "6 arcmin" })
    assert.equal(mast.observations.query_object_count("M101", { radius = "6 arcmin" }), #r.data)
    assert.is_true(#r.data > 0)
  end)

  it("all = true fetches every page", function()
    local n = mast.observations.query_criteria_count { obs_collection = "HST" }
    local all = mast.observations.query_criteria { obs_collection = "HST", all = true, pagesize = 2000 }
    assert.equal(n, #all.data)
    assert.is_true(n > 2000)
  end)

  it("refuses what does not fit before sending anything", function()
    H.raises("usage", mast.observations.query_region, { ra = 1, dec = 2, instrument_name = "WFC3" })
    H.raises("usage", mast.observations.query_region, { radius = 0.1 })
    H.raises("usage", mast.observations.query_criteria, {})
    H.raises("usage", mast.observations.query_criteria, { obs_collection = "HST", radius = 0.1 })
    H.raises("usage", mast.observations.query_criteria_count, { obs_collection = "HST", pagesize = 10 })
    H.raises("usage", mast.observations.query_object, "")
    H.raises("usage", mast.observations.query_region, { coordinates = "nowhere" })
    assert.equal(0, #H.invokes())
  end)
end)
