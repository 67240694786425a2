-- mast.time: ISO 8601 <-> MJD (UTC, no leap seconds).
local mast = require "mast"
local T = mast.time

describe("mast.time", function()
  it("knows the reference epochs", function()
    assert.equal(51544.5, T.mjd("2000-01-01T12:00:00"))
    assert.equal(51544.5, T.mjd("2000-01-01 12:00:00Z"))
    assert.equal(0, T.mjd("1858-11-17"))
    assert.equal(55197, T.mjd("2010-01-01"))
    assert.equal(55197, T.mjd("2010-01-01Z"))
    assert.is_true(math.abs(T.mjd("2010-01-01 12:00:00.5") - (55197.5 + 0.5 / 86400)) < 1e-9)
  end)

  it("writes ISO from MJD to the millisecond", function()
    assert.equal("2000-01-01T12:00:00.000", T.iso(51544.5))
    assert.equal("1858-11-17T00:00:00.000", T.iso(0))
    assert.equal("2010-01-01T12:00:00.500", T.iso(T.mjd("2010-01-01T12:00:00.5")))
    assert.equal("2024-02-29T23:59:59.999", T.iso(T.mjd("2024-02-29T23:59:59.999")))
    assert.equal("1858-11-16T00:00:00.000", T.iso(-1))
  end)

  it("refuses bad input as a usage error", function()
    for _, bad in ipairs({ "2010-13-01", "2010-02-30", "yesterday", "2010-01-01T25:00:00", 5 }) do
      local ok, e = pcall(T.mjd, bad)
      assert.is_false(ok)
      assert.equal("usage", e.code)
      assert.matches("2010-01-01", tostring(e), 1, true)
    end
    local ok, e = pcall(T.iso, "x")
    assert.is_false(ok); assert.equal("usage", e.code)
  end)
end)
