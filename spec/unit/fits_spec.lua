-- mast.fits: reading and writing FITS through cfitsio (no network).
-- Files: the real TESS target-pixel file of the recorded fixtures (a TESScut
-- cutout), one made independently by astropy (spec/tools/make_fits.py: every
-- column type, TSCAL/TZERO, TNULL, images with BLANK), and mast's own writes.
local mast = require "mast"
local core = require "mast.core"

local NULL = mast.null
local dir, tpf, typed

local function setup_files()
  if dir then return end
  dir = H.tmpdir()
  local list = core.extract(H.fixtures .. "/astroquery-main/astrocut_107.27_-70.0_5x5.zip", dir)
  tpf = list[1].path
  typed = dir .. "/types.fits"
  local code, _, err = H.sh("/usr/bin/python3 " .. H.quote(H.root .. "/spec/tools/make_fits.py") .. " "
    .. H.quote(typed))
  assert(code == 0, "spec/tools/make_fits.py failed (needs python3-astropy): " .. err)
end

local function same_value(a, b)
  if type(a) == "table" and type(b) == "table" then
    if #a ~= #b then return false end
    for i = 1, #a do
      if not same_value(a[i], b[i]) then return false end
    end
    return true
  end
  return a == b and math.type(a) == math.type(b)
end

describe("mast.fits", function()
  setup(setup_files)
  teardown(function() if dir then os.execute("rm -rf " .. H.quote(dir)) end end)

  describe("the TESS target-pixel file (TESScut)", function()
    it("lists its HDUs, printable", function()
      local f <close> = mast.fits.open(tpf)
      local hdus = f:hdus()
      assert.equal(3, #hdus.data)
      assert.same({ index = 1, name = "PRIMARY", type = "image", bitpix = 8, dims = "", rows = NULL, cols = NULL },
        hdus.data[1])
      assert.equal("PIXELS", hdus.data[2].name)
      assert.equal("binary table", hdus.data[2].type)
      assert.equal(1282, hdus.data[2].rows)
      assert.equal(12, hdus.data[2].cols)
      assert.equal("APERTURE", hdus.data[3].name)
      assert.equal("5x5", hdus.data[3].dims)
      assert.matches("PIXELS%s+binary table", tostring(hdus))
    end)

    it("reads header keywords typed, with comments, by name or number", function()
      local f <close> = mast.fits.open(tpf)
      local h = f:header(1)
      assert.equal("TESS", h.TELESCOP)
      assert.equal("telescope", h:comment("TELESCOP"))
      assert.equal(1325.3131006045239, h.TSTART)
      assert.equal("float", h:card("TSTART").type)
      assert.equal("SIMPLE", h[1].name)
      assert.equal(true, h.SIMPLE)
      local p = f:header("PIXELS")
      assert.equal("BINTABLE", p.XTENSION)
      assert.equal(1282, p.NAXIS2)
      assert.equal("integer", math.type(p.NAXIS2))
      assert.equal("(5, 5)", p.TDIM5)
      assert.equal(p.TTYPE1, p["ttype1"])
      assert.matches("TTYPE5  =%s+'FLUX'", tostring(p))
    end)

    it("reads the pixel table: TIME, the FLUX vectors shaped 5x5, units, TNULL", function()
      local f <close> = mast.fits.open(tpf)
      local t = f:table("PIXELS")
      assert.equal(1282, #t)
      assert.equal("TIME", t.columns[1])
      assert.equal("float", t.types[1])
      assert.equal(1325.32305908203125, t.TIME[1])
      assert.equal("BJD - 2457000, days", t.units.TIME)
      assert.equal("int", t.types[3])   -- CADENCENO, J
      assert.same({ 5, 5 }, t.shapes.FLUX)
      assert.equal(25, #t.FLUX[1])
      assert.equal(127.16387939453125, t.FLUX[1][1])   -- a float32, exactly
      assert.equal("e-/s", t:envelope().fields[5].unit)
      assert.same({ 5, 5 }, t:envelope().fields[5].shape)
      assert.equal("string", t.types[12])
      -- a row of the columnar table, as any mast.Table gives one
      assert.equal(t.TIME[2], t[2].TIME)
    end)

    it("gives one frame as an image, and its statistics", function()
      local f <close> = mast.fits.open(tpf)
      local fr = f:frame("PIXELS", 1)
      assert.equal(5, fr.width)
      assert.equal(5, fr.height)
      assert.equal(25, #fr.data)
      assert.equal(127.16387939453125, fr.data[1])
      assert.equal("e-/s", fr.bunit)
      assert.equal(-32, fr.bitpix)
      local t = f:table("PIXELS", { rows = { 7, 7 }, columns = { "FLUX" } })
      assert.same(t.FLUX[1], f:frame(2, 7, "FLUX").data)
      local s = mast.fits.stats(fr)
      assert.equal(96.484550476074219, s.min)
      assert.equal(128.10708618164062, s.max)
      assert.equal(105.75689697265625, s.median)
      assert.equal(0, s.nan)
      assert.equal(25, s.count)
      assert.near(108.04793792725, s.mean, 1e-9)
    end)

    it("reads the aperture image", function()
      local f <close> = mast.fits.open(tpf)
      local im = f:image("APERTURE")
      assert.equal(5, im.width)
      assert.equal(5, im.height)
      assert.same({ 5, 5 }, im.naxes)
      assert.equal(-64, im.bitpix)
    end)
  end)

  describe("a file astropy wrote", function()
    local t
    before_each(function() t = mast.fits.read(typed, "TYPES") end)

    it("gives exact 64-bit integers, unsigned ones through TZERO, and TNULL as null", function()
      assert.same({ 0, 1, 200, 255 }, t.b)
      assert.same({ -32768, -1, 7, 32767 }, t.i)
      assert.same({ -2147483648, 0, NULL, 2147483647 }, t.j)
      assert.same({ -9223372036854775807, 9007199254740993, NULL, 9223372036854775807 }, t.k)
      assert.equal("integer", math.type(t.k[2]))
      assert.same({ 0, 1, 40000, 65535 }, t.u16)
      assert.same({ 0, 1, 3000000000, 4294967295 }, t.u32)
      assert.same({ "int", "int", "int", "int", "int", "int" }, { table.unpack(t.types, 1, 6) })
      assert.equal("ct", t.units.k)
    end)

    it("applies TSCAL/TZERO, and reads NaN as null", function()
      assert.same({ 10.0, 10.5, 11.0, 0.0 }, t.scaled)
      assert.equal("float", t.types[9])
      assert.same({ 1.5, NULL, -2.25 }, { t.e[1], t.e[2], t.e[3] })
      assert.same({ 0.1, NULL, 1e-300, -0.5 }, t.d)
      assert.equal("mag", t.units.e)
    end)

    it("reads logical (an undefined one as null), bit, string, vector and variable-length columns", function()
      assert.same({ true, false, true, NULL }, t.l)
      assert.same({ { true, false, true }, { false, false, false }, { true, true, true }, { false, true, false } },
        t.x)
      assert.equal("boolean", t.types[11])
      assert.same({ "alpha", "", "it's ok", "abcdefgh" }, t.a)
      assert.same({ 3, 2 }, t.shapes.v)
      assert.same({ 6, 7, 8, 9, 10, 11 }, t.v[2])
      assert.same({ { 1, 2, 3 }, {}, { 4 }, { 5, 6 } }, t.p)
    end)

    it("selects columns and rows", function()
      local f <close> = mast.fits.open(typed)
      local s = f:table(2, { columns = "k,a", rows = { 2, 3 } })
      assert.same({ "k", "a" }, s.columns)
      assert.same({ 9007199254740993, NULL }, s.k)
      assert.equal(2, #s)
      assert.equal(1, #f:table(2, { rows = 1 }).k)
    end)

    it("reads an ASCII table", function()
      local f <close> = mast.fits.open(typed)
      local a = f:table("ASC")
      assert.same({ "id", "val", "name" }, a.columns)
      assert.same({ "int", "float", "string" }, a.types)
      assert.same({ 1, 2, 3 }, a.id)
      assert.same({ 1.5, 2.25, -3.0 }, a.val)
      assert.same({ "x", "yy", "zzz" }, a.name)
    end)

    it("reads an image with BLANK as NaN, a section, a float image and a cube's plane", function()
      local f <close> = mast.fits.open(typed)
      local im = f:image("IMG")
      assert.equal(4, im.width)
      assert.equal(3, im.height)
      assert.equal("adu", im.bunit)
      assert.equal(16, im.bitpix)
      assert.equal(0.0, im.data[1])
      assert.equal(4.0, im.data[5])   -- row y = 2 starts at index width + 1
      assert.is_true(im.data[6] ~= im.data[6])   -- the BLANK pixel (5)
      local s = f:image("IMG", { x = { 2, 3 }, y = { 2, 3 } })
      assert.equal(2, s.width)
      assert.equal(2, s.height)
      assert.equal(9.0, s.data[3])
      local s2 = f:image(3, "2:3,2:3")
      assert.equal(9.0, s2.data[3])
      local st = mast.fits.stats(f:image("FIMG"))
      assert.equal(1, st.nan)
      assert.equal(3.0, st.median)
      assert.equal(1.0, st.min)
      local c = f:image("CUBE", { plane = 2 })
      assert.same({ 4, 3, 2 }, c.naxes)
      assert.equal(12.0, c.data[1])
    end)

    it("reads typed header keywords and commentary cards", function()
      local f <close> = mast.fits.open(typed)
      local h = f:header()
      assert.equal(12.5, h.EXPTIME)
      assert.equal("seconds", h:comment("EXPTIME"))
      assert.equal(3, h.NCOMBINE)
      assert.equal("integer", math.type(h.NCOMBINE))
      assert.equal(9007199254740993, h.LONGID)
      assert.equal(true, h.SIMPLEOK)
      assert.equal("it's", h.QUOTE)
      local comment
      for _, c in ipairs(h) do if c.name == "COMMENT" then comment = c end end
      assert.equal("a comment card", comment.comment)
      assert.equal("none", comment.type)
    end)
  end)

  describe("writing", function()
    it("round-trips every column type: read(write(x)) is identical", function()
      local t = mast.fits.read(typed, "TYPES")
      local out = dir .. "/rt.fits"
      assert.equal(out, mast.fits.write(t, out, { extname = "RT" }))
      local f <close> = mast.fits.open(out)
      assert.equal("RT", f:hdus().data[2].name)
      local back = f:table("RT")
      assert.same(t.columns, back.columns)
      assert.same(t.types, back.types)
      assert.same(t.units, back.units)
      assert.same(t.shapes, back.shapes)
      for _, c in ipairs(t.columns) do
        for r = 1, #t do
          assert(same_value(t[c][r], back[c][r]), ("column %s row %d differs"):format(c, r))
        end
      end
    end)

    it("writes a row dataset: types from fields or values, nulls, units, exact ids", function()
      local r = require("mast.dataset").result({
        { id = 5853498713190525696, ra = 1.25, name = "a", ok = true, any = 3 },
        { id = NULL, ra = NULL, name = "bcd", ok = NULL, any = 4 },
      }, { { name = "id", type = "long" }, { name = "ra", type = "float" }, { name = "name", type = "string" },
           { name = "ok", type = "boolean" }, { name = "any" } }, "test")
      local out = dir .. "/rows.fits"
      mast.fits.write(r, out, { units = { ra = "deg" } })
      local back = mast.fits.read(out)
      assert.same({ "id", "ra", "name", "ok", "any" }, back.columns)
      assert.same({ "int", "float", "string", "boolean", "int" }, back.types)
      assert.same({ 5853498713190525696, NULL }, back.id)
      assert.same({ 1.25, NULL }, back.ra)
      assert.same({ "a", "bcd" }, back.name)
      assert.same({ true, NULL }, back.ok)
      assert.equal("deg", back.units.ra)
      local h = mast.fits.open(out):header(2)
      assert.equal("3A", h.TFORM3)   -- strings as wide as the longest
      assert.equal("1K", h.TFORM1)
      assert.is_number(h.TNULL1)
      -- astropy reads it too, with the same values
      local code, o = H.sh("/usr/bin/python3 -c " .. H.quote(
        "import sys; from astropy.io import fits; d = fits.open(sys.argv[1])[1].data; "
        .. "print(d['id'][0], d['name'][1], d.columns['ra'].unit)") .. " " .. H.quote(out))
      assert.equal(0, code)
      assert.equal("5853498713190525696 bcd deg\n", o)
    end)

    it("refuses to replace a file unless told, and goes through the output capability", function()
      local out = dir .. "/once.fits"
      local ds = { fields = { { name = "x", type = "int" } }, data = { { x = 1 } } }
      mast.fits.write(ds, out)
      local e = H.raises("usage", mast.fits.write, ds, out)
      assert.matches("overwrite", tostring(e))
      ds.data[1].x = 2
      mast.fits.write(ds, out, { overwrite = true })
      assert.same({ 2 }, mast.fits.read(out).x)
      H.raises("usage", mast.fits.write, { rows = 1 }, dir .. "/no.fits")
      H.raises("usage", mast.fits.write, ds, dir .. "/no.fits", { extnam = "X" })
      -- a file that cannot be written: the output capability's error, nothing left behind
      H.write(dir .. "/plain", "a file")
      H.raises("io", mast.fits.write, ds, dir .. "/plain/x.fits")
    end)
  end)

  describe("errors", function()
    it("a non-FITS file, a missing file: io errors naming the file", function()
      local junk = dir .. "/junk.fits"
      H.write(junk, "hello, not FITS\n")
      local e = H.raises("io", mast.fits.open, junk)
      assert.matches("not a FITS file", tostring(e))
      assert.equal(junk, e.file)
      e = H.raises("io", mast.fits.open, dir .. "/absent.fits")
      assert.matches("absent.fits", tostring(e))
      H.raises("io", mast.fits.from_string, "SIMPLE  = junk")
    end)

    it("a truncated file: a clear error naming the HDU, never a crash", function()
      local bytes = H.read(typed)
      for _, cut in ipairs({ 2880 + 100, 2880 * 4 + 200, #bytes - 100 }) do
        local f = mast.fits.from_string(bytes:sub(1, cut), "cut.fits")
        local e = H.raises("io", function() return f:hdus() end)
        assert.matches("cut.fits: HDU %d+.*truncated", tostring(e))
        f:close()
      end
      -- the table's rows cut off
      local f = mast.fits.from_string(H.read(tpf):sub(1, 2880 * 3 + 566 * 100), "tpf")
      local e = H.raises("io", function() return f:table(2) end)
      assert.matches("HDU 2: the file is truncated", tostring(e))
    end)

    it("a header value cfitsio 4.2 would overrun a buffer on: refused before cfitsio parses it", function()
      local bytes = H.read(typed)
      local at = assert(bytes:find("TTYPE1  = ", 1, true))
      local bad = bytes:sub(1, at - 1) .. "TTYPE1  =" .. ("}"):rep(71) .. bytes:sub(at + 80)
      local e = H.raises("io", mast.fits.from_string, bad, "bad.fits")
      assert.matches("bad.fits: HDU 2: keyword TTYPE1", tostring(e))
      local path = dir .. "/bad.fits"
      H.write(path, bad)
      H.raises("io", mast.fits.open, path)
    end)

    it("usage errors name what was wrong", function()
      local f <close> = mast.fits.open(typed)
      assert.matches("no HDU with EXTNAME 'NOPE'", tostring(H.raises("usage", f.header, f, "NOPE")))
      assert.matches("no HDU 9 %(the file has 6%)", tostring(H.raises("usage", f.header, f, 9)))
      assert.matches("no column 'zz'", tostring(H.raises("usage", f.table, f, 2, { columns = { "zz" } })))
      assert.matches("not an image", tostring(H.raises("usage", f.image, f, 2)))
      assert.matches("outside the image", tostring(H.raises("usage", f.image, f, 3, { x = { 1, 9 } })))
      assert.matches("unknown option 'colums'", tostring(H.raises("usage", f.table, f, 2, { colums = "a" })))
      assert.matches("no row 99", tostring(H.raises("usage", f.frame, f, 2, 99, "v")))
      f:close()
      assert.matches("closed", tostring(select(2, pcall(f.hdus, f))))
    end)
  end)
end)
