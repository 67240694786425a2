-- Pan-STARRS through catalogs.mast (mast.panstarrs), against the sandbox.
local mast = require "mast"
local core = require "mast.core"

local function searches()
  local out = {}
  for _, r in ipairs(H.requests()) do
    if r.path:match("^/api/v0%.1/panstarrs/.*%.json$") and not r.path:match("metadata") then out[#out + 1] = r end
  end
  return out
end

describe("mast.panstarrs", function()
  before_each(H.reset)

  it("reads the recorded cone answer: rows as arrays typed by info, objID exact", function()
    local r = mast.panstarrs.cone { ra = 5.97754, dec = -32.53617, radius = 0.0099,
      columns = { "objName", "objID", "lambda", "beta", "iMeanApMag", "surveyID" } }
    local rec = core.json_decode(H.fixture("astroquery-main/panstarrs.json"))
    assert.equal(#rec.data, #r.data)
    for i, row in ipairs(rec.data) do
      assert.equal(math.tointeger(row[2]), r.data[i].objID)   -- sent as a JSON string
      assert.equal("integer", math.type(r.data[i].objID))
      assert.equal(row[1], r.data[i].objname)
    end
    assert.equal(68960059717834079, r.data[1].objID)
    assert.equal("int", r.fields[2].type)
    assert.matches("^objname,objID,", mast.json2csv(r))
  end)

  it("sends criteria as the API's decorators and checks every row", function()
    local r = mast.panstarrs.cone { ra = 10, dec = 20, radius = 0.1, columns = "objID,nDetections,gMeanPSFMag",
      criteria = { nDetections = { ">", 5 }, gMeanPSFMag = { 14, 20 } }, sort_by = "-nDetections" }
    local q = searches()[1].query
    assert.matches("nDetections.gt=5", q, 1, true)
    assert.matches("gMeanPSFMag.gte=14", q, 1, true)
    assert.matches("gMeanPSFMag.lte=20", q, 1, true)
    assert.matches("sort_by=desc.nDetections", q, 1, true)
    assert.is_true(#r.data > 0)
    for i, row in ipairs(r.data) do
      assert.is_true(row.nDetections > 5)
      assert.is_true(row.gMeanPSFMag >= 14 and row.gMeanPSFMag <= 20)
      if i > 1 then assert.is_true(r.data[i - 1].nDetections >= row.nDetections) end
    end
  end)

  it("fetches every page for all = true, page after page until a short one", function()
    local one = mast.panstarrs.cone { ra = 10, dec = 20, radius = 0.05, columns = "objID" }
    H.reset()
    local all = mast.panstarrs.cone { ra = 10, dec = 20, radius = 0.05, columns = "objID", pagesize = 10, all = true }
    assert.equal(#one.data, #all.data)
    assert.equal(#one.data // 10 + 1, #searches())
    for i, row in ipairs(one.data) do assert.equal(row.objID, all.data[i].objID) end
  end)

  it("refuses a wrong column, table, release or radius before sending a search", function()
    assert.matches("did you mean 'nDetections'", H.raises("usage", mast.panstarrs.cone,
      { ra = 1, dec = 2, radius = 0.1, criteria = { nDetection = 3 } }).message)
    H.raises("usage", mast.panstarrs.cone, { ra = 1, dec = 2, radius = 0.1, columns = { "objID", "gmag" } })
    H.raises("usage", mast.panstarrs.cone, { ra = 1, dec = 2, radius = 0.1, table = "forced_mean", release = "dr1" })
    H.raises("usage", mast.panstarrs.cone, { ra = 1, dec = 2, radius = 0.1, release = "dr3" })
    assert.matches("0.5 degrees", H.raises("usage", mast.panstarrs.cone, { ra = 1, dec = 2, radius = 0.6 }).message)
    assert.equal(0, #searches())
  end)

  it("says what the server said for input it refuses (HTTP 422)", function()
    local e = H.raises("http", mast.panstarrs.search, { criteria = { nDetections = 3 } })
    assert.equal(422, e.status)
    assert.matches("detail", tostring(e))
  end)

  it("lists a table's columns from its metadata", function()
    local c = mast.panstarrs.columns { release = "dr2", table = "mean" }
    assert.equal(124, #c.data)
    assert.equal("objName", c.data[1].name)
  end)
end)
