-- Plots of real files: a frame of the recorded TESScut target-pixel file (from the
-- sandbox's TESScut) drawn where its brightest and faintest pixels are, and a
-- light curve read from a FITS light-curve file by path (one mast.fits.write
-- makes, shaped as TESS's: TIME, PDCSAP_FLUX, PDCSAP_FLUX_ERR, QUALITY).
local mast = require "mast"
local pcore = require "mast.core_plot"

-- r, g, b of the pixel at (x, y) of a PNG (pixels from the top left).
local function pixel(path, x, y)
  local w, _, px = pcore.png_read(H.read(path))
  local at = (math.floor(y) * w + math.floor(x)) * 4 + 1
  return px:byte(at, at + 2)
end

local function luminance(path, x, y)
  local r, g, b = pixel(path, x, y)
  return 0.299 * r + 0.587 * g + 0.114 * b
end

describe("mast.plot on real FITS files", function()
  local dir
  H.dir_each(function(d) dir = d end)

  it("draws a TESScut frame: the brightest pixel bright, the faintest dark, in the gray map", function()
    local files = mast.tesscut.cutouts { ra = 107.27, dec = -70.0, size = 5, sector = 1, dir = dir }
    local f <close> = mast.fits.open(files[1].path)
    local frame = f:frame("PIXELS", 100)
    assert.same({ 5, 5 }, { frame.width, frame.height })
    local hi, lo = 1, 1
    for i = 2, #frame.data do
      if frame.data[i] > frame.data[hi] then hi = i end
      if frame.data[i] < frame.data[lo] then lo = i end
    end
    local function xy(i) return (i - 1) % 5 + 1, (i - 1) // 5 + 1 end
    local r = mast.plot.image(frame, { file = dir .. "/frame.png", cmap = "gray", stretch = "linear" })
    local hx, hy = r:pixel(xy(hi))
    local lx, ly = r:pixel(xy(lo))
    assert.is_true(luminance(r.file, hx, hy) > 200, "the brightest pixel is drawn bright")
    assert.is_true(luminance(r.file, lx, ly) < 60, "the faintest pixel is drawn dark")
  end)

  it("plots a light-curve FITS file by its path, without the flagged cadences", function()
    local rows = {}
    for i = 1, 500 do
      local t = 1400 + i * 0.02
      rows[i] = { TIME = t, PDCSAP_FLUX = 1000 + 50 * math.sin(t), PDCSAP_FLUX_ERR = 2.5,
                  QUALITY = (i % 50 == 0) and 128 or 0 }
    end
    local path = mast.fits.write({ fields = { { name = "TIME", type = "float" },
      { name = "PDCSAP_FLUX", type = "float" }, { name = "PDCSAP_FLUX_ERR", type = "float" },
      { name = "QUALITY", type = "int" } }, data = rows }, dir .. "/lc.fits", { extname = "LIGHTCURVE" })
    local r = mast.plot.lightcurve(path, { file = dir .. "/lc.png" })
    assert.matches("10 points with non%-zero QUALITY removed", tostring(r))
    -- a point of the curve is drawn where the data puts it; far above the curve is background
    local x, y = r:pixel(rows[101].TIME, rows[101].PDCSAP_FLUX)
    assert.is_true(luminance(r.file, x, y) < 215, "a mark at the point")
    local ex, ey = r:pixel(rows[101].TIME, 1000 + 50 * math.sin(rows[101].TIME) + 45)
    assert.is_true(math.abs(ey - y) > 20)
    local er, eg, eb = pixel(r.file, ex, ey)
    assert.is_true(er >= 215 and eg >= 215 and eb >= 215, "background away from the curve")
  end)
end)
