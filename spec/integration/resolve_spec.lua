-- mast.resolve: MAST's name resolver service (SANTA), against the sandbox's recorded answers.
local mast = require "mast"
local core = require "mast.core"

local function santa_requests()
  local out = {}
  for _, r in ipairs(H.requests()) do
    if r.path == "/Santa-war/query" then out[#out + 1] = r end
  end
  return out
end

describe("mast.resolve", function()
  before_each(H.reset)

  it("gives the recorded entry of a name: degrees from ra/decl, the canonical name", function()
    local rec = core.json_decode(H.fixture("astroquery-main/resolver.json")).resolvedCoordinate
    local want
    for _, e in ipairs(rec) do
      if e.searchString == "m101" and not want then want = e end
    end
    local e = mast.resolve("M101")
    assert.equal(want.ra, e.ra)
    assert.equal(want.decl, e.dec)
    assert.equal(want.canonicalName, e.name)
    assert.equal(want.resolver, e.resolver)
    local q = santa_requests()[1].query
    assert.matches("name=M101", q, 1, true)
    assert.matches("outputFormat=json", q, 1, true)
    assert.matches("resolveAll=false", q, 1, true)
  end)

  it("resolves several names in one call, every resolver's answer with all = true", function()
    local r = mast.resolve({ "M1", "M103", "TIC 307210830" }, { all = true })
    assert.equal(1, #santa_requests())
    assert.is_true(#r["TIC 307210830"] >= 2)
    local seen = {}
    for _, e in ipairs(r["TIC 307210830"]) do seen[e.resolver] = true end
    assert.is_true(seen.TIC and seen.SIMBAD)
    assert.is_number(r.M1[1].ra)
  end)

  it("asks only the resolver named", function()
    local e = mast.resolve("M101", { resolver = "NED" })
    assert.equal("NED", e.resolver)
    assert.matches("resolver=NED", santa_requests()[1].query, 1, true)
    H.raises("usage", mast.resolve, "M101", { resolver = "GOOGLE" })
  end)

  it("sends 30 names a request", function()
    local names = {}
    for i = 1, 61 do names[i] = ({ "M1", "M8", "M10", "M101", "M103" })[i % 5 + 1] end
    local r = mast.resolve(names)
    assert.equal(3, #santa_requests())
    for _, n in ipairs(names) do assert.is_number(r[n].ra) end
  end)

  it("names every name nobody resolves, and sends no token there", function()
    core.config("token", "sandbox-token")
    local e = H.raises("mast", mast.resolve, { "M1", "No Such Thing", "nor this" })
    assert.matches("'No Such Thing', 'nor this'", e.message, 1, true)
    assert.is_nil(santa_requests()[1].headers["authorization"])
    H.raises("usage", mast.resolve, {})
    H.raises("usage", mast.resolve, { "M1", "  " })
  end)
end)
