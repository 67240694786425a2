-- mast.coords: positions and angles as people write them.
local mast = require "mast"
local coords = mast.coords

local function usage_msg(f, ...)
  local ok, e = pcall(f, ...)
  assert.is_false(ok)
  assert.equal("usage", e.code)
  return tostring(e)
end

describe("mast.coords.position", function()
  local function near(a, b, tol) assert.is_true(math.abs(a - b) < (tol or 1e-4), ("%.8f vs %.8f"):format(a, b)) end

  it("reads decimal degrees, with a space or a comma, and numbers and tables", function()
    local ra, dec = coords.position("f", { coordinates = "210.80243 54.34875" })
    assert.equal(210.80243, ra); assert.equal(54.34875, dec)
    ra, dec = coords.position("f", { coordinates = "210.80243, -54.34875" })
    assert.equal(210.80243, ra); assert.equal(-54.34875, dec)
    ra, dec = coords.position("f", { ra = 1.5, dec = -2 })
    assert.equal(1.5, ra); assert.equal(-2, dec)
    ra, dec = coords.position("f", { coordinates = { 10, 20 } })
    assert.equal(10, ra); assert.equal(20, dec)
    assert.is_nil(coords.position("f", {}))
  end)

  it("reads sexagesimal in h/m/s, colon and space forms (M101)", function()
    for _, s in ipairs({ "14h03m12.6s +54d20m56s", "14:03:12.6 +54:20:56", "14 03 12.6 +54 20 56",
                         "14h03m12.6s 54d20m56s" }) do
      local ra, dec = coords.position("f", { coordinates = s })
      near(ra, 210.8025); near(dec, 54.34889)
    end
  end)

  it("keeps the sign of a declination under one degree", function()
    local _, dec = coords.position("f", { coordinates = "00:00:00 -00:30:00" })
    assert.equal(-0.5, dec)
    _, dec = coords.position("f", { coordinates = "0 0 0 -00 30 00" })
    assert.equal(-0.5, dec)
  end)

  it("refuses malformed or out-of-range input with an accepted form", function()
    for _, bad in ipairs({ "M101", "14:03:12.6", "14:73:12.6 +54:20:56", "210 95", "400 10", "1 2 3" }) do
      local m = usage_msg(coords.position, "mast.caom.cone", { coordinates = bad })
      assert.matches("mast.caom.cone", m, 1, true)
      assert.matches("coordinates", m, 1, true)
      assert.matches("14:03:12.6 +54:20:56", m, 1, true)
    end
    usage_msg(coords.position, "f", { coordinates = "1 2", ra = 1 })
  end)
end)

describe("mast.coords.radius and angle", function()
  it("keeps numbers as they are and converts units to degrees", function()
    assert.equal(0.2, coords.radius("f", 0.2))
    assert.equal(0.05, coords.radius("f", "3 arcmin"))
    assert.equal(0.05, coords.radius("f", "3'"))
    assert.equal(0.05, coords.radius("f", "5 arcminutes") * 3 / 5)
    assert.equal(10 / 3600, coords.radius("f", "10 arcsec"))
    assert.equal(10 / 3600, coords.radius("f", "10\""))
    assert.equal(0.2, coords.radius("f", "0.2 deg"))
    assert.equal(0.2, coords.radius("f", "0.2d"))
    assert.equal(0.05, coords.radius("f", 3, "arcmin"))
    assert.equal(180, coords.angle("f", "3 arcmin", "arcsec"))
  end)

  it("refuses a bad radius naming it", function()
    for _, bad in ipairs({ "3 parsecs", "", "-1 arcmin", 0, -2, "abc", "0.2" }) do
      assert.matches("radius", usage_msg(coords.radius, "f", bad), 1, true)
    end
  end)
end)

describe("mast.coords.separation", function()
  it("is right for tiny, ordinary and antipodal separations", function()
    assert.equal(0, coords.separation(10, 20, 10, 20))
    local tiny = coords.separation(10, 20, 10, 20 + 1e-9)
    assert.is_true(math.abs(tiny - 1e-9) < 1e-13, tiny)
    assert.is_true(math.abs(coords.separation(0, 0, 90, 0) - 90) < 1e-12)
    assert.is_true(math.abs(coords.separation(0, 0, 180, 0) - 180) < 1e-12)
    assert.is_true(math.abs(coords.separation(10, 30, 190, -30 + 1e-7) - (180 - 1e-7)) < 1e-9)
  end)
end)

describe("the option machinery", function()
  it("accepts a radius with a unit as a generic option", function()
    assert.is_nil(require("mast.options").validators.radius("3 arcmin"))
    assert.is_nil(require("mast.options").validators.radius(0.1))
    assert.is_string(require("mast.options").validators.radius("3 furlongs"))
  end)
end)
