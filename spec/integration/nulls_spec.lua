-- How a null (mast.null, a missing value) behaves in ordinary Lua, in the mast
-- program and in stock lua5.4 (spec-integration-lua5.4): it orders after every
-- value, equals only itself, prints "null", and arithmetic on it says what it is.
local mast = require "mast"
local N = mast.null

describe("mast.null", function()
  local function mags()
    local rows = {}
    for i, m in ipairs({ 18.2, N, 12.0, N, 15.5, 19.0, N, 11.1 }) do rows[i] = { id = i, mag = m } end
    return rows
  end

  it("lets table.sort with a plain comparator order a column with nulls, nulls last", function()
    local rows = mags()
    table.sort(rows, function(a, b) return a.mag < b.mag end)
    local got = {}
    for i, r in ipairs(rows) do got[i] = r.mag end
    assert.same({ 11.1, 12.0, 15.5, 18.2, 19.0, N, N, N }, got)
    table.sort(rows, function(a, b) return a.mag > b.mag end)
    assert.equal(N, rows[1].mag)   -- with >, a null is the greatest: first
  end)

  it("lets row.mag < 18 run on a column with nulls (a null is never below a number)", function()
    local bright = {}
    for _, r in ipairs(mags()) do if r.mag < 18 then bright[#bright + 1] = r.id end end
    assert.same({ 3, 5, 8 }, bright)
    assert.is_false(N < 18)
    assert.is_true(18 < N)
    assert.is_false(N < N)
    assert.is_true(N <= N)
    assert.is_true("z" <= N)
    assert.is_false(N <= "z")
  end)

  it("never equals a number or false, prints null, and names itself in arithmetic", function()
    assert.is_false(N == 0)
    assert.is_false(N == false)
    assert.equal(N, mast.json.decode("[null]")[1])
    assert.equal("null", tostring(N))
    local ok, e = pcall(function() return N + 1 end)
    assert.is_false(ok)
    assert.matches("attempt to do arithmetic on a null %(a missing value%)", e)
    ok, e = pcall(function() return "mag " .. N end)
    assert.is_false(ok)
    assert.matches("concatenate a null", e)
    assert.equal("[null]", mast.json.encode({ N }))
  end)
end)
