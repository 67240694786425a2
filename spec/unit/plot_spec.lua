-- mast.plot: every kind to PNG and SVG, the marks where the data says (no network).
local mast = require "mast"
local core = require "mast.core"
local pcore = require "mast.core_plot"
local plot = require "mast.plot"

local ds = H.dataset

-- The PNG's size from its IHDR, after checking the signature.
local function png_size(bytes)
  assert.equal("\137PNG\r\n\26\n", bytes:sub(1, 8))
  assert.equal("IHDR", bytes:sub(13, 16))
  return ((">I4"):unpack(bytes, 17)), ((">I4"):unpack(bytes, 21))
end

-- r, g, b of the pixel at (x, y) (pixels from the top left).
local function pixel(path, x, y)
  local w, _, px = pcore.png_read(H.read(path))
  local at = (math.floor(y) * w + math.floor(x)) * 4 + 1
  return px:byte(at, at + 2)
end

local function background(r, g, b) return r >= 215 and g >= 215 and b >= 215 end

local function sky_rows()
  return ds({ { "s_ra", "float" }, { "s_dec", "float" }, { "s_region", "string" } }, {
    { s_ra = 210.80, s_dec = 54.35, s_region = "POLYGON ICRS 210.70 54.30 210.90 54.30 210.90 54.40 210.70 54.40" },
    { s_ra = 210.85, s_dec = 54.32, s_region = "CIRCLE ICRS 210.85 54.32 0.05" },
    { s_ra = 210.62, s_dec = 54.22, s_region = mast.null },
  })
end

local function lc_rows(n)
  local rows = {}
  for i = 1, n do
    local t = 1500 + i * 0.01
    rows[i] = { TIME = t, PDCSAP_FLUX = 1000 + 20 * math.sin(t * 3), PDCSAP_FLUX_ERR = 3,
                QUALITY = (i % 100 == 0) and 512 or 0 }
  end
  return ds({ { "TIME", "float" }, { "PDCSAP_FLUX", "float" }, { "PDCSAP_FLUX_ERR", "float" },
              { "QUALITY", "int" } }, rows)
end

local function star_image()
  local img = { width = 40, height = 30, data = {}, bunit = "e-/s" }
  for y = 1, 30 do
    for x = 1, 40 do
      img.data[(y - 1) * 40 + x] = 100 + 5000 * math.exp(-((x - 10) ^ 2 + (y - 20) ^ 2) / 4) + (x * y % 7)
    end
  end
  img.data[(5 - 1) * 40 + 30] = 0 / 0   -- a blank pixel at x = 30, y = 5
  return img
end

local function xy_rows()
  local rows = {}
  for i = 1, 50 do rows[i] = { n = i, v = i * i, w = (i % 10 == 0) and mast.null or (i % 2 == 0 and i or -i) } end
  return ds({ { "name", "string" }, { "n", "int" }, { "v", "float" }, { "w", "float" } }, rows)
end

describe("mast.plot", function()
  local dir
  before_each(function() dir = H.tmpdir() end)
  after_each(function() os.execute("rm -rf " .. H.quote(dir)) end)

  local KINDS = {
    sky = function(file) return plot.sky(sky_rows(), { file = file, title = "M101 field" }) end,
    lightcurve = function(file) return plot.lightcurve(lc_rows(500), { file = file, title = "TIC 1" }) end,
    image = function(file) return plot.image(star_image(), { file = file, title = "cutout" }) end,
    scatter = function(file) return plot.scatter(xy_rows(), { file = file, x = "n", y = "v", title = "s" }) end,
    line = function(file) return plot.line(xy_rows(), { file = file, x = "n", y = { "v", "w" } }) end,
    histogram = function(file) return plot.histogram(xy_rows(), { file = file, column = "v", bins = 10 }) end,
  }

  for kind, draw in pairs(KINDS) do
    it(kind .. " writes a PNG of the asked size and an SVG with its labels as text", function()
      local r = draw(dir .. "/" .. kind .. ".png")
      assert.equal(dir .. "/" .. kind .. ".png", r.file)
      assert.equal(kind, r.kind)
      local w, h = png_size(H.read(r.file))
      assert.same({ 800, 600 }, { w, h })
      assert.is_nil(io.open(r.file .. ".part", "rb"))
      assert.matches("^plot written to .*" .. kind .. "%.png %(800×600%)", tostring(r))
      local s = draw(dir .. "/" .. kind .. ".svg")
      local svg = H.read(s.file)
      assert.matches("^<%?xml[^>]*%?>%s*<svg ", svg)
      local root = core.xml_decode(svg)   -- well-formed XML, an svg root
      assert.equal("svg", root.name)
      assert.equal("0 0 800 600", root.attr.viewBox)
      assert.matches('width="800pt" height="600pt"', svg)
      assert.matches("</svg>%s*$", svg)
      local texts = 0
      for _ in svg:gmatch("<text [^>]*>[^<]+</text>") do texts = texts + 1 end
      assert.is_true(texts >= 6, "tick labels and axis labels as <text>: " .. texts)
    end)
  end

  it("sets width and height, and writes labels the SVG can be searched for", function()
    local r = plot.scatter(xy_rows(), { file = dir .. "/a.svg", x = "n", y = "v", width = 640, height = 480,
                                        xlabel = "index", ylabel = "square" })
    assert.same({ 640, 480 }, { r.width, r.height })
    local svg = H.read(r.file)
    assert.matches(">index</text>", svg)
    assert.matches(">square</text>", svg)
    -- ticks of 0..50: nice values
    assert.matches(">20</text>", svg)
    assert.matches(">40</text>", svg)
    local p = plot.scatter(xy_rows(), { file = dir .. "/a.png", x = "n", y = "v", width = 640, height = 480 })
    assert.same({ 640, 480 }, { png_size(H.read(p.file)) })
  end)

  it("draws a star where the projection puts it, RA increasing to the left, and nothing in empty sky", function()
    local r = plot.sky(sky_rows(), { file = dir .. "/sky.png", footprints = false })
    assert.equal("gnomonic", r.projection)
    local x, y = r:pixel(210.80, 54.35)
    local red, g, b = pixel(r.file, x, y)
    assert.is_true(red > 150 and g < 120 and b < 120, ("a red mark at the star: %d %d %d"):format(red, g, b))
    local x2 = r:pixel(210.62, 54.22)
    assert.is_true(x2 > x, "lower RA lies to the right")
    -- between the stars, where none is
    local ex, ey = r:pixel(210.70, 54.30)
    assert.is_true(background(pixel(r.file, ex, ey)))
  end)

  it("draws s_region footprints: POLYGON with frame words, CIRCLE, several polygons", function()
    local r = plot.sky(sky_rows(), { file = dir .. "/fp.png" })
    -- inside the polygon only (no star there): tinted, not white
    local x, y = r:pixel(210.72, 54.38)
    local cr, cg, cb = pixel(r.file, x, y)
    assert.is_false(background(cr, cg, cb) and cr == cg and cg == cb, ("%d %d %d"):format(cr, cg, cb))
    assert.is_true(cb > cr, "a blue tint")
    -- the circle's edge, 0.05 deg north of its centre
    local ex, ey = r:pixel(210.85, 54.37)
    local hit = false
    for dy = -2, 2 do
      local pr, _, pb = pixel(r.file, ex, ey + dy)
      if pb > pr + 40 and pb < 230 then hit = true end
    end
    assert.is_true(hit, "the circle's outline")
    assert.same({ { kind = "polygon", 1, 2, 3, 4, 5, 6 }, { kind = "polygon", 7, 8, 9, 10, 11, 12 } },
      plot.regions("POLYGON ICRS 1 2 3 4 5 6 POLYGON J2000 7 8 9 10 11 12"))
    assert.same({ { kind = "circle", 10.5, -3, 0.1 } }, plot.regions("CIRCLE ICRS GEOCENTER 10.5 -3 0.1"))
    assert.same({}, plot.regions("POLYGON 1 2 3"))
    assert.same({}, plot.regions(mast.null))
  end)

  it("keeps a field across RA 0 together: 0.05 lies east (left) of 359.95", function()
    local rows = { { ra = 359.95, dec = 10 }, { ra = 0.05, dec = 10.05 } }
    local r = plot.sky(ds({ { "ra", "float" }, { "dec", "float" } }, rows), { file = dir .. "/wrap.svg" })
    assert.equal("gnomonic", r.projection)
    assert.is_true(math.abs(r.centre[1] % 360 - 0) < 1e-3 or math.abs(r.centre[1] - 360) < 1e-3)
    local west, east = r:pixel(359.95, 10), r:pixel(0.05, 10.05)
    assert.is_true(east < west)
    local svg = H.read(r.file)
    assert.matches(">359.98</text>", svg)
    assert.matches(">0.02</text>", svg)
  end)

  it("falls back to Hammer-Aitoff when the field is too wide for the tangent plane", function()
    local rows = {}
    for i = 1, 60 do rows[i] = { ra = (i * 37) % 360, dec = ((i * 53) % 170) - 85 } end
    local r = plot.sky(ds({ { "ra", "float" }, { "dec", "float" } }, rows), { file = dir .. "/all.svg" })
    assert.equal("hammer", r.projection)
    assert.matches("Hammer%-Aitoff", tostring(r))
    local p = plot.sky(ds({ { "ra", "float" }, { "dec", "float" } }, rows), { file = dir .. "/all.png" })
    local x, y = p:pixel(rows[1].ra, rows[1].dec)
    local red = pixel(p.file, x, y)
    assert.is_true(red > 150)
  end)

  it("removes non-zero QUALITY, says how many, and bins", function()
    local r = plot.lightcurve(lc_rows(1000), { file = dir .. "/lc.png", bin = "30 min" })
    assert.equal(10, r.removed)
    assert.equal(990, r.points)
    assert.is_true(r.bins >= 470 and r.bins <= 481, "30-minute bins over 10 days: " .. r.bins)
    assert.matches("10 points with non%-zero QUALITY removed", tostring(r))
    local n = plot.lightcurve(lc_rows(1000), { file = dir .. "/lc2.png", bin = "10 points", quality = false })
    assert.equal(0, n.removed)
    assert.equal(100, n.bins)
    -- a mast.Table and SAP_FLUX when there is no PDCSAP_FLUX
    local t = ds({ { "time", "float" }, { "SAP_FLUX", "float" } },
      { { time = 1, SAP_FLUX = 2 }, { time = 2, SAP_FLUX = 3 } })
    local s = plot.lightcurve(mast.json2table(t), { file = dir .. "/lc3.svg" })
    assert.equal(2, s.points)
    assert.matches(">SAP_FLUX</text>", H.read(s.file))
  end)

  it("stretches an image, draws blank pixels in their own colour, and a colour bar", function()
    local img = star_image()
    local r = plot.image(img, { file = dir .. "/img.png" })
    assert.equal(1, r.blank)
    -- the blank pixel: the gray map's blank colour (magenta), not a gray
    local bx, by = r:pixel(30, 5)
    local cr, cg, cb = pixel(r.file, bx, by)
    assert.same({ 217, 51, 166 }, { cr, cg, cb })
    -- the star: at the top of the stretch (white); a corner: dark
    local sx, sy = r:pixel(10, 20)
    assert.same({ 255, 255, 255 }, { pixel(r.file, sx, sy) })
    local kx, ky = r:pixel(39, 2)
    assert.is_true((pixel(r.file, kx, ky)) < 200)
    local svg = plot.image(img, { file = dir .. "/img.svg", cmap = "deep", stretch = "percentile", percent = 99 })
    assert.matches(">e%-/s</text>", H.read(svg.file))
  end)

  it("zscale: a ramp keeps its whole range, a flat field with outliers ignores them", function()
    local ramp = {}
    for i = 1, 1000 do ramp[i] = i end
    assert.same({ 1, 1000 }, { plot.zscale(ramp) })
    local flat = {}
    for i = 1, 2000 do flat[i] = 100 + (i * 7919 % 101) / 10 end
    for i = 1, 2000, 97 do flat[i] = 1e6 end
    local z1, z2 = plot.zscale(flat)
    assert.is_true(z1 >= 99 and z1 < 105 and z2 > 105 and z2 < 200, ("%g %g"):format(z1, z2))
  end)

  it("chooses nice ticks", function()
    local t = plot.ticks(0, 1, 6)
    local labels = {}
    for i, v in ipairs(t) do labels[i] = v.label end
    assert.same({ "0", "0.2", "0.4", "0.6", "0.8", "1.0" }, labels)
    local u = plot.ticks(210.61, 210.93, 5)
    assert.same({ "210.7", "210.8", "210.9" }, { u[1].label, u[2].label, u[3].label })
  end)

  it("skips nulls and NaN, counted in a note; log axes skip what is not positive", function()
    local r = plot.scatter(xy_rows(), { file = dir .. "/n.png", x = "n", y = "w" })
    assert.matches("5 rows without a number skipped", tostring(r))
    local l = plot.scatter(xy_rows(), { file = dir .. "/l.png", x = "n", y = "w", ylog = true })
    assert.matches("25 rows not positive", tostring(l))
  end)

  it("finds the numeric columns when none are named", function()
    local r = plot.scatter(xy_rows(), { file = dir .. "/auto.svg" })
    local svg = H.read(r.file)
    assert.matches(">n</text>", svg)
    assert.matches(">v</text>", svg)
  end)

  it("refuses bad input with a usage error naming it", function()
    local file = dir .. "/x.png"
    local e = H.raises("usage", plot.scatter, ds({ { "s", "string" } }, { { s = "a" } }), { file = file })
    assert.matches("no numeric column", e.message)
    e = H.raises("usage", plot.histogram, ds({ { "v", "float" } }, {}), { file = file })
    assert.matches("no rows", e.message)
    e = H.raises("usage", plot.scatter, xy_rows(), { file = file, colour = "red" })
    assert.matches("unknown option 'colour'", e.message)
    e = H.raises("usage", plot.line, xy_rows(), { file = file, x = "nn" })
    assert.matches("no column 'nn'.*did you mean 'n'", e.message)
    e = H.raises("usage", plot.scatter, xy_rows(), {})
    assert.matches("option 'file' is required", e.message)
    e = H.raises("usage", plot.scatter, xy_rows(), { file = dir .. "/x.jpg" })
    assert.matches("%.png or %.svg", e.message)
    e = H.raises("usage", plot.image, { width = 2, height = 2, data = { 1, 2 } }, { file = file })
    assert.matches("2 values for 2×2", e.message)
    e = H.raises("usage", plot.sky, ds({ { "x", "float" } }, { { x = 1 } }), { file = file })
    assert.matches("no position columns", e.message)
    e = H.raises("usage", plot.lightcurve, lc_rows(10), { file = file, bin = "3 parsecs" })
    assert.matches("option 'bin'", e.message)
    e = H.raises("usage", plot.scatter, "rows", { file = file })
    assert.matches("expected a dataset", e.message)
    assert.equal("mast.plot.scatter", e.fn)
    assert.is_nil(io.open(file, "rb"))
  end)

  it("the canvas: spent once finished, a PNG read back, bad arguments refused", function()
    local c = pcore.plot_canvas("png", 40, 30)
    c:rgb(1, 0, 0)
    c:rect(10, 10, 5, 5)
    c:fill()
    local bytes = c:finish()
    local w, h, px = pcore.png_read(bytes)
    assert.same({ 40, 30, 40 * 30 * 4 }, { w, h, #px })
    local at = (12 * 40 + 12) * 4 + 1
    assert.same({ 255, 0, 0, 255 }, { px:byte(at, at + 3) })
    assert.same({ 255, 255, 255, 255 }, { px:byte(1, 4) })
    assert.error_matches(function() c:rgb(0, 0, 0) end, "already finished")
    assert.error_matches(function() c:finish() end, "already finished")
    H.raises("usage", pcore.png_read, "not a picture")
    H.raises("usage", pcore.png_read, bytes:sub(1, 40))
    assert.error_matches(function() pcore.plot_canvas("jpg", 10, 10) end, "invalid option 'jpg'")
    assert.error_matches(function() pcore.plot_canvas("png", 1, 10) end, "width must be")
    local d = pcore.plot_canvas("svg", 20, 20)
    assert.error_matches(function() d:image({ 1, 2, 3 }, 2, 2, 0, 0, 10, 10, 0, 1, ("x"):rep(768), "abc") end,
      "fewer values")
    assert.error_matches(function() d:image({ 1, 2, 3, 4 }, 2, 2, 0, 0, 10, 10, 0, 1, "short", "abc") end,
      "256 RGB")
    d:text(1, 10, "a <b> & \"c\"", 8)
    local root = core.xml_decode(d:finish())
    local found
    for _, g in ipairs(root) do
      if g.attr.class == "mast-labels" then found = g[1].text end
    end
    assert.equal('a <b> & "c"', found)
  end)

  it("is mast.plot, and the REPL shows where the picture went", function()
    assert.equal(plot, mast.plot)
    local r = plot.histogram(xy_rows(), { file = dir .. "/repl.png" })
    assert.equal(tostring(r), require("mast.pretty").format(r))
    assert.matches("^plot written to .*repl%.png %(800×600%)\n  50 values in 8 bins$", tostring(r))
  end)
end)
