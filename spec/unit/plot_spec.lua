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

-- A PNG decoded once: at(x, y) -> r, g, b (pixels from the top left).
local function picture(path)
  local w, h, px = pcore.png_read(H.read(path))
  return function(x, y)
    x, y = math.floor(x), math.floor(y)
    assert(x >= 0 and x < w and y >= 0 and y < h, ("(%d, %d) lies outside the %d×%d picture"):format(x, y, w, h))
    local at = (y * w + x) * 4 + 1
    return px:byte(at, at + 2)
  end
end

local function luma(r, g, b) return 0.299 * r + 0.587 * g + 0.114 * b end

-- The first palette colour (a blue) at some coverage: marks, lines and bars of a first series.
local function blue(r, _, b) return r < 160 and b > r + 50 end
-- The second palette colour (an orange): a light curve's binned view.
local function orange(r, _, b) return r > 180 and r > b + 80 end

-- Whether any pixel of the 3×3 block around (x, y) passes test.
local function near(at, x, y, test)
  for dy = -1, 1 do
    for dx = -1, 1 do
      if test(at(x + dx, y + dy)) then return true end
    end
  end
  return false
end

-- How dark the row of three pixels about (x, y) is, summed (0: white): a
-- thin vertical line is found whichever pixels its antialiasing splits it across.
local function darkness(at, x, y)
  local sum = 0
  for dx = -1, 1 do sum = sum + 255 - (at(x + dx, y)) end
  return sum
end

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

  it("draws scatter marks of the asked size where the points are, and nothing between them", function()
    local pts = { { 1, 2 }, { 2, 8 }, { 4, 5 }, { 7, 9 }, { 9, 1 } }
    local rows = {}
    for i, p in ipairs(pts) do rows[i] = { a = p[1], b = p[2] } end
    local size = 14
    local r = plot.scatter(ds({ { "a", "float" }, { "b", "float" } }, rows),
      { file = dir .. "/marks.png", x = "a", y = "b", size = size })
    local at = picture(r.file)
    for i, p in ipairs(pts) do
      local x, y = r:pixel(p[1], p[2])
      for _, d in ipairs({ { 0, 0 }, { -4, 0 }, { 4, 0 }, { 0, -4 }, { 0, 4 } }) do
        local cr, cg, cb = at(x + d[1], y + d[2])
        assert.is_true(blue(cr, cg, cb), ("point %d, within its mark (%+d, %+d): %d %d %d"):format(
          i, d[1], d[2], cr, cg, cb))
      end
      for _, d in ipairs({ { -1, 0 }, { 1, 0 }, { 0, -1 }, { 0, 1 } }) do
        local ox, oy = x + d[1] * (size / 2 + 3), y + d[2] * (size / 2 + 3)
        assert.is_true(background(at(ox, oy)), ("point %d: background just beyond its mark"):format(i))
      end
      if i > 1 then   -- half way to the previous point: no mark
        local px, py = r:pixel(pts[i - 1][1], pts[i - 1][2])
        assert.is_true(background(at((x + px) / 2, (y + py) / 2)), "between points " .. (i - 1) .. " and " .. i)
      end
    end
  end)

  it("draws a line through the pixels between successive points, broken where a value is missing", function()
    local ys = { 2, 8, 3, mast.null, 6, 1 }
    local rows = {}
    for i = 1, #ys do rows[i] = { a = i, b = ys[i] } end
    local r = plot.line(ds({ { "a", "float" }, { "b", "float" } }, rows),
      { file = dir .. "/line.png", x = "a", y = "b" })
    local at = picture(r.file)
    local function segment(i, j, drawn)
      local x1, y1 = r:pixel(i, ys[i])
      local x2, y2 = r:pixel(j, ys[j])
      local len = math.sqrt((x2 - x1) ^ 2 + (y2 - y1) ^ 2)
      local nx, ny = -(y2 - y1) / len, (x2 - x1) / len   -- the normal, in pixels
      for _, t in ipairs({ 0.25, 0.4, 0.5, 0.6, 0.75 }) do
        local x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
        local what = ("%d to %d at %.2f"):format(i, j, t)
        assert.equal(drawn, near(at, x, y, blue), what)
        -- either side of the line: background
        assert.is_true(background(at(x + 10 * nx, y + 10 * ny)), what .. ", beside it")
        assert.is_true(background(at(x - 10 * nx, y - 10 * ny)), what .. ", beside it")
      end
    end
    segment(1, 2, true)
    segment(2, 3, true)
    segment(5, 6, true)
    -- the row without a value: no line from 3 on to 5
    segment(3, 5, false)
  end)

  it("draws each histogram bar as tall as its count, and no bar for an empty bin", function()
    -- 4 bins over 0.5 .. 3.5 (0.75 wide): 3, 1, 0 and 2 values
    local values = { 0.5, 0.5, 0.5, 1.5, 3.5, 3.5 }
    local counts, lo, width = { 3, 1, 0, 2 }, 0.5, 0.75
    local rows = {}
    for i, v in ipairs(values) do rows[i] = { v = v } end
    local r = plot.histogram(ds({ { "v", "float" } }, rows), { file = dir .. "/bars.png", column = "v", bins = 4 })
    local at = picture(r.file)
    local heights = {}
    for i, n in ipairs(counts) do
      local x, base = r:pixel(lo + (i - 0.5) * width, 0)
      local _, top = r:pixel(lo + (i - 0.5) * width, n)
      -- up from the baseline while the pixels are the bar's
      local y = base - 3
      while y > 0 and blue(at(x, y)) do y = y - 1 end
      heights[i] = base - 3 - y
      if n == 0 then
        assert.equal(0, heights[i], "the empty bin has no bar")
        assert.is_true(background(at(x, base - 3)), "the empty bin: background just above the axis")
      else
        assert.is_true(math.abs(y - top) <= 2, ("bin %d: the bar's top at %d, its count's at %.1f"):format(i, y, top))
        assert.is_true(background(at(x, top - 4)), ("bin %d: background above its bar"):format(i))
      end
    end
    assert.is_true(heights[1] > heights[4] and heights[4] > heights[2] and heights[2] > 0,
      "more counts, a taller bar: " .. table.concat(heights, ", "))
    -- the bars' heights in proportion to the counts
    assert.near(heights[1] / 3, heights[2], 3)
    assert.near(heights[1] * 2 / 3, heights[4], 3)
  end)

  it("draws each point's error bar over its error, not beyond, and leaves quality-flagged points out", function()
    local pts = { { 0.13, 100, 8 }, { 1.37, 130, 4 }, { 2.61, 100, 8 }, { 3.85, 130, 4 }, { 3.2, 110, 35 } }
    local flagged = { 2.2, 115, 3 }
    local function rows(quality)
      local out = {}
      for i, p in ipairs(pts) do out[i] = { TIME = p[1], FLUX = p[2], FLUX_ERR = p[3], QUALITY = 0 } end
      out[#out + 1] = { TIME = flagged[1], FLUX = flagged[2], FLUX_ERR = flagged[3], QUALITY = quality }
      return ds({ { "TIME", "float" }, { "FLUX", "float" }, { "FLUX_ERR", "float" }, { "QUALITY", "int" } }, out)
    end
    local r = plot.lightcurve(rows(512), { file = dir .. "/err.png", bin = false })
    assert.equal(1, r.removed)
    assert.equal(0, r.bins)
    local at = picture(r.file)
    for i, p in ipairs(pts) do
      local t, f, e = p[1], p[2], p[3]
      local x = r:pixel(t, f)
      for _, k in ipairs({ -0.85, -0.5, 0.5, 0.85 }) do
        local _, y = r:pixel(t, f + k * e)
        assert.is_true(darkness(at, x, y) > 25, ("point %d: its bar at %+.2f of its error (%d)"):format(
          i, k, darkness(at, x, y)))
      end
      if i <= 4 then
        for _, k in ipairs({ -1, 1 }) do
          local _, y = r:pixel(t, f + k * (e + 4))
          assert.is_true(darkness(at, x, y) < 8, ("point %d: nothing beyond its error (%d)"):format(
            i, darkness(at, x, y)))
        end
      end
    end
    -- the flagged point: neither its mark nor its bar
    local fx, fy = r:pixel(flagged[1], flagged[2])
    assert.is_true(background(at(fx, fy)), "no mark at the flagged point")
    local _, fb = r:pixel(flagged[1], flagged[2] + flagged[3] * 0.7)
    assert.is_true(darkness(at, fx, fb) < 8, "no bar at the flagged point")
    -- the same point, kept: drawn there (the check sees it when it is drawn)
    local kept = plot.lightcurve(rows(512), { file = dir .. "/kept.png", bin = false, quality = false })
    local kat = picture(kept.file)
    local kx, ky = kept:pixel(flagged[1], flagged[2])
    assert.is_true(near(kat, kx, ky, blue), "the point, kept, is drawn")
    local _, kb = kept:pixel(flagged[1], flagged[2] + flagged[3] * 0.7)
    assert.is_true(darkness(kat, kx, kb) > 25, "and its bar")
  end)

  it("draws the binned view's markers at the bins' means", function()
    -- 60 points alternating 100 and 140, 10 to a bin: each bin's mean flux is
    -- 120, where no point lies
    local rows = {}
    for i = 1, 60 do
      rows[i] = { TIME = i * 0.1, PDCSAP_FLUX = i % 2 == 1 and 100 or 140, PDCSAP_FLUX_ERR = 1, QUALITY = 0 }
    end
    local r = plot.lightcurve(ds({ { "TIME", "float" }, { "PDCSAP_FLUX", "float" }, { "PDCSAP_FLUX_ERR", "float" },
                                   { "QUALITY", "int" } }, rows), { file = dir .. "/binned.png", bin = "10 points" })
    assert.equal(6, r.bins)
    local at = picture(r.file)
    local means = {}
    for b = 1, 6 do
      local s = 0
      for i = (b - 1) * 10 + 1, b * 10 do s = s + rows[i].TIME end
      means[b] = s / 10
    end
    -- the binned error bar: the standard error of the bin's mean
    local se = 20 * math.sqrt(10 / 9) / math.sqrt(10)
    for b, t in ipairs(means) do
      local x, y = r:pixel(t, 120)
      for _, dx in ipairs({ -2, 0, 2 }) do
        local cr, cg, cb = at(x + dx, y)
        assert.is_true(orange(cr, cg, cb), ("bin %d: its marker at its mean (%+d): %d %d %d"):format(b, dx, cr, cg, cb))
      end
      local _, ey = r:pixel(t, 120 + se * 0.7)
      assert.is_true(near(at, x, ey, orange), ("bin %d: its error bar"):format(b))
      local _, by = r:pixel(t, 120 + se + 3)
      assert.is_false(near(at, x, by, orange), ("bin %d: nothing beyond its error"):format(b))
      if b > 1 then   -- half way between two bins' means: no marker
        local mx, my = r:pixel((t + means[b - 1]) / 2, 120)
        assert.is_false(near(at, mx, my, orange), ("between bins %d and %d"):format(b - 1, b))
      end
    end
  end)

  it("draws the colour bar beside the image, from the low end of the map at the bottom to the high at the top",
    function()
    local img = star_image()
    img.bunit = nil   -- no label above the bar
    local r = plot.image(img, { file = dir .. "/bar.png", stretch = "linear" })
    local bar = r.colorbar
    assert.is_table(bar)
    local at = picture(r.file)
    -- beside the image, as tall as it: its top and bottom are the image's
    local right, top = r:pixel(img.width + 0.5, img.height + 0.5)
    local _, bottom = r:pixel(0.5, 0.5)
    assert.is_true(bar.x > right + 2, "right of the image")
    assert.near(top, bar.y, 1)
    assert.near(bottom, bar.y + bar.height, 1)
    local cx, mid = bar.x + bar.width / 2, bar.y + bar.height / 2
    assert.is_false(background(at(cx, mid)), "the bar is drawn")
    assert.is_false(background(at(bar.x + 2, mid)), "across its width")
    assert.is_false(background(at(bar.x + bar.width - 2, mid)), "across its width")
    assert.is_true(background(at(bar.x - 4, mid)), "background between the image and the bar")
    assert.is_true(background(at(cx, bar.y - 4)), "background above it")
    assert.is_true(background(at(cx, bar.y + bar.height + 4)), "background below it")
    -- the gray map, bottom to top: black rising steadily to white
    local first, last = bar.y + bar.height - 2, bar.y + 2
    local prev = luma(at(cx, first))
    assert.is_true(prev < 15, "the low end, black: " .. prev)
    for y = first - 1, last, -1 do
      local l = luma(at(cx, y))
      assert.is_true(l >= prev - 1, ("luminance rises up the bar: %.1f then %.1f at y = %.1f"):format(prev, l, y))
      prev = math.max(prev, l)
    end
    assert.is_true(prev > 240, "the high end, white: " .. prev)
    -- the deep map rises in lightness too, from dark to light
    local d = plot.image(img, { file = dir .. "/deep.png", stretch = "linear", cmap = "deep" })
    local dat = picture(d.file)
    local dx = d.colorbar.x + d.colorbar.width / 2
    local low, high = luma(dat(dx, d.colorbar.y + d.colorbar.height - 2)), luma(dat(dx, d.colorbar.y + 2))
    assert.is_true(low < 60 and high > 180, ("deep: %.1f at the bottom, %.1f at the top"):format(low, high))
    assert.is_nil(plot.image(img, { file = dir .. "/nobar.png", colorbar = false }).colorbar)
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
