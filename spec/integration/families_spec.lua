-- Every script in scripts/families (one per MAST API family beyond the examples
-- page) runs against the sandbox without an error and prints what it got.
local DIR = H.root .. "/scripts/families"

local function run(name)
  local dir = H.tmpdir()
  local build = os.getenv("MAST_BUILD_DIR") or (H.root .. "/build")
  local interp = package.preload["mast"] and H.quote(H.bin) or
    ("MAST_SOURCE_DIR=%s MAST_BUILD_DIR=%s %s"):format(H.quote(H.root), H.quote(build),
      H.quote(H.root .. "/spec/tools/stock-lua"))
  local code, out, err = H.sh(("cd %s && %s %s"):format(H.quote(dir), interp, H.quote(DIR .. "/" .. name)))
  return out .. err, code == 0, dir
end

describe("scripts/families", function()
  before_each(H.reset)

  it("tess_cutout.lua lists sectors and writes the cutout", function()
    local out, ok, dir = run("tess_cutout.lua")
    assert.is_true(ok, out)
    assert.matches("sectors cover 107.27 %-70.00", out)
    assert.matches("sector 1 camera 4 ccd 3: tess/tess%-s0001%-4%-3_107%.27_%-70%.0_5x5_astrocut%.fits", out)
    local fits = dir .. "/tess/tess-s0001-4-3_107.27_-70.0_5x5_astrocut.fits"
    assert.equal(766080, select(2, require("mast.core").stat(fits)))
  end)

  it("hst_mission_products.lua searches, lists products and downloads", function()
    local out, ok = run("hst_mission_products.lua")
    assert.is_true(ok, out)
    assert.matches("hst search: %d+ rows", out)
    assert.matches("COMPLETE\thst/%u[%w]+/[%w_]+%.fits\t%d+", out)
  end)

  it("panstarrs_cone.lua prints the cone, sorted, and its CSV", function()
    local out, ok = run("panstarrs_cone.lua")
    assert.is_true(ok, out)
    assert.matches("objID,raMean,decMean,nDetections,gMeanPSFMag", out, 1, true)
  end)

  it("tic_adql.lua lists the TIC's tables, runs an ADQL job and a written cone", function()
    local out, ok = run("tic_adql.lua")
    assert.is_true(ok, out)
    assert.matches("TAP catalogs: caom, classy", out, 1, true)
    assert.matches("dbo.catalogrecord%s+Main Catalog Record%s+125", out)
    assert.matches("tic TAP: 20 rows, 5 columns", out, 1, true)
    assert.matches("CIRCLE('ICRS', 23.34086, 60.658, 0.0333333", out, 1, true)
  end)
end)
