-- The sandbox's VO-TAP answer as TABLEDATA and as BINARY2 decodes to the same dataset.
local core = require "mast.core"

local function tap(query, format)
  local url = os.getenv("MAST_BASE_URL") .. "/vo-tap/api/v0.1/tic/sync?lang=ADQL&query="
    .. query:gsub("[^%w]", function(c) return ("%%%02X"):format(c:byte()) end)
    .. "&responseformat=" .. format
  local r = core.request({ method = "GET", url = url, retry = false })
  assert.equal(200, r.status, r.body)
  return core.votable_decode(r.body, "the TAP answer"), r.body
end

local function nan_free(data)   -- NaN ~= NaN: compare it as a word
  for _, r in ipairs(data) do
    for k, x in pairs(r) do if x ~= x then r[k] = "NaN" end end
  end
  return data
end

describe("VO-TAP VOTable serialisations", function()
  before_each(H.reset)

  it("gives identical rows as TABLEDATA and as BINARY2", function()
    local q = "SELECT TOP 200 * FROM dbo.catalogrecord WHERE ra > 0"
    local td, b2 = tap(q, "votable"), tap(q, "votable/b2")
    assert.is_true(#td.data > 10)
    assert.equal(#td.fields, #b2.fields)
    assert.same(td.fields, b2.fields)
    -- a float column's TABLEDATA text may carry more digits than its float32
    -- bits: those agree to float precision, every other cell exactly
    local floats = {}
    for _, f in ipairs(td.fields) do if f.datatype == "float" then floats[f.name] = true end end
    local a, b = nan_free(td.data), nan_free(b2.data)
    assert.equal(#a, #b)
    for i, r in ipairs(a) do
      for k in pairs(floats) do
        local x, y = r[k], b[i][k]
        if type(x) == "number" and type(y) == "number" then
          assert.is_true(math.abs(x - y) <= 1e-6 * math.abs(x), ("row %d %s: %s vs %s"):format(i, k, x, y))
          r[k], b[i][k] = nil, nil
        end
      end
    end
    assert.same(a, b)
  end)

  it("gives the same dataset through the rows' scanner as through expat alone", function()
    for _, q in ipairs({ "SELECT TOP 200 * FROM dbo.catalogrecord WHERE ra > 0",
                         "SELECT TOP 300 * FROM dbo.catalogrecord WHERE dec < 0" }) do
      local t, body = tap(q, "votable")
      assert.is_true(#t.data > 10)
      local e = core.votable_decode(body, "the TAP answer", "expat")
      t.data, e.data = nan_free(t.data), nan_free(e.data)
      assert.same(e, t)
    end
  end)
end)
