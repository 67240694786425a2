-- TESScut (mast.tesscut) against the sandbox's /tesscut/api/v0.1/.
local mast = require "mast"
local core = require "mast.core"

local function tesscut_requests()
  local n = 0
  for _, r in ipairs(H.requests()) do if r.path:match("^/tesscut/") then n = n + 1 end end
  return n
end

describe("mast.tesscut", function()
  local dir
  H.dir_each(function(d) dir = d end)
  before_each(H.reset)

  it("lists the recorded sectors of a position, numbers as integers", function()
    local s = mast.tesscut.sectors { ra = 324.24368, dec = -27.01029, radius = 0.1 }
    local rec = core.json_decode(H.fixture("astroquery-main/tess_sector.json")).results
    assert.equal(#rec, #s.data)
    assert.equal(rec[1].sectorName, s.data[1].sectorName)
    assert.equal(math.tointeger(tonumber(rec[1].sector)), s.data[1].sector)
    assert.equal("integer", math.type(s.data[1].camera))
  end)

  it("unpacks the recorded cutout zip into dir: the real target-pixel file, with its sector, camera and CCD", function()
    local files = mast.tesscut.cutouts { ra = 107.27, dec = -70.0, size = 5, dir = dir }
    assert.equal(1, #files)
    assert.equal(dir .. "/tess-s0001-4-3_107.27_-70.0_5x5_astrocut.fits", files[1].path)
    assert.same({ 1, 4, 3 }, { files[1].sector, files[1].camera, files[1].ccd })
    assert.equal(766080, select(2, core.stat(files[1].path)))
    assert.equal("SIMPLE  =", H.read(files[1].path):sub(1, 9))
    local q = H.requests()[1]
    assert.equal("/tesscut/api/v0.1/astrocut", q.path)
    assert.matches("units=px", q.query, 1, true)
    assert.matches("product=SPOC", q.query, 1, true)
  end)

  it("makes a JSON msg instead of a zip an error carrying the text, and writes nothing", function()
    local e = H.raises("mast", mast.tesscut.cutouts, { ra = 0, dec = 0, size = 5, dir = dir })
    assert.matches("No TESS data found", e.message)
    assert.equal("mast.tesscut.cutouts", e.fn)
    assert.is_nil(core.stat(dir .. "/tess-s0001-4-3_107.27_-70.0_5x5_astrocut.fits"))
  end)

  it("keeps to 5 requests a second itself: no request is refused and re-sent", function()
    for i = 1, 12 do
      assert.is_true(#mast.tesscut.sectors({ ra = 10 + i, dec = -60 }).data > 0)
    end
    assert.equal(12, tesscut_requests())
  end)

  it("refuses bad sizes, products and positions before sending anything", function()
    H.raises("usage", mast.tesscut.cutouts, { ra = 1, dec = 2, size = 0, dir = dir })
    H.raises("usage", mast.tesscut.cutouts, { ra = 1, dec = 2, size = "2 parsec", dir = dir })
    H.raises("usage", mast.tesscut.cutouts, { ra = 1, dec = 2, product = "TICA", dir = dir })
    H.raises("usage", mast.tesscut.cutouts, { ra = 1, size = 5, dir = dir })
    H.raises("usage", mast.tesscut.sectors, { object = "Ceres", object_type = "comet" })
    assert.equal(0, tesscut_requests())
  end)

  it("finds a moving target's sectors by name", function()
    local s = mast.tesscut.sectors { object = "Ceres" }
    assert.is_true(#s.data > 0)
    assert.equal("/tesscut/api/v0.1/moving_target/sector", H.requests()[1].path)
  end)
end)

describe("mast.zcut and mast.hapcut", function()
  local dir
  H.dir_each(function(d) dir = d end)
  before_each(H.reset)

  it("lists the recorded surveys of a position", function()
    local rec = core.json_decode(H.fixture("astroquery-main/zcut_survey.json")).surveys
    assert.same(rec, mast.zcut.surveys { ra = 189.49206, dec = 62.20615 })
  end)

  it("unpacks the recorded FITS and JPG cutouts, and refuses a bad format or stretch before sending", function()
    local fits = mast.zcut.cutouts { ra = 189.49206, dec = 62.20615, size = 100, dir = dir .. "/f" }
    assert.is_true(#fits >= 1)
    assert.matches("%.fits$", fits[1].path)
    assert.equal("SIMPLE  =", H.read(fits[1].path):sub(1, 9))
    local jpg = mast.zcut.cutouts { ra = 189.49206, dec = 62.20615, size = 100, format = "jpg", dir = dir .. "/j" }
    assert.matches("%.jpg$", jpg[1].path)
    assert.equal("\255\216", H.read(jpg[1].path):sub(1, 2))
    H.reset()
    H.raises("usage", mast.zcut.cutouts, { ra = 1, dec = 2, format = "gif", dir = dir })
    H.raises("usage", mast.zcut.cutouts, { ra = 1, dec = 2, stretch = "cubic", dir = dir })
    H.raises("usage", mast.zcut.cutouts, { ra = 1, dec = 2, minmax_percent = { 1 }, dir = dir })
    assert.equal(0, #H.requests())
  end)

  it("gets a HAP cutout", function()
    local files = mast.hapcut.cutouts { ra = 189.49206, dec = 62.20615, size = "5 arcsec", dir = dir }
    assert.equal(1, #files)
    assert.equal("SIMPLE  =", H.read(files[1].path):sub(1, 9))
    assert.matches("units=d", H.requests()[1].query, 1, true)
  end)
end)
