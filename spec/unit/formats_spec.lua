-- mast.write / mast.read by name, and the VOTable writer (no network).
local mast = require "mast"
local core = require "mast.core"
local formats = require "mast.formats"

local NULL = mast.null

local ds, same_value = H.dataset, H.same_value

-- What a value of a column declared `t` is once it has been through a
-- VOTable: a float column's numbers are doubles, a char column's numbers
-- are their text (a TD holds text, and the FIELD says char), and the parser
-- trims a cell's white space at both ends, an empty cell being null.
local function as_votable(v, t)
  if v == nil or v == NULL then return NULL end
  local kind = require("mast.columnar").kind(t)
  if kind == "float" and type(v) == "number" then return v + 0.0 end
  if kind == "string" and type(v) ~= "string" then
    return type(v) == "boolean" and tostring(v) or core.json_encode(v)
  end
  if type(v) == "string" then
    v = v:match("^[ \t\r\n]*(.-)[ \t\r\n]*$")
    if v == "" then return NULL end
  end
  return v
end

local function assert_votable_identical(x, got, label)
  H.assert_same_dataset(x, got, label, as_votable)
end

describe("the VOTable writer", function()
  it("writes every type, with nulls, and the parser reads the same dataset back", function()
    local x = ds({ { "id", "int" }, { "x", "float" }, { "ok", "boolean" }, { "s", "string" }, { "v", "array" } }, {
      { id = 5853498713190525697, x = 0.1 + 0.2, ok = true, s = 'a<b & "c" > d', v = { 1.5, 2 } },
      { id = NULL, x = 0 / 0, ok = NULL, s = NULL, v = NULL },
      { id = -1, x = math.huge, ok = false, s = "Éta Carinae", v = { 3.25 } },
      { id = math.maxinteger, x = -math.huge, ok = true, s = "two\nlines and cr\rhere" },
      { id = 0, x = 1e-300, ok = false, s = "x" },
    })
    local text = formats.votable(x, { name = "crafted" })
    assert.matches('<FIELD name="id" datatype="long"><VALUES null="%-9223372036854775808"/></FIELD>', text)
    assert.matches('<FIELD name="x" datatype="double"/>', text)
    assert.matches('<FIELD name="ok" datatype="boolean"/>', text)
    assert.matches('<FIELD name="s" datatype="char" arraysize="%*"/>', text)
    assert.matches('<FIELD name="v" datatype="double" arraysize="%*"/>', text)
    assert.matches('<TD>a&lt;b &amp; &quot;c&quot; &gt; d</TD>', text)
    assert.matches('^<%?xml version="1.0" encoding="UTF%-8"%?>\n<VOTABLE version="1.4"', text)
    local t = core.votable_decode(text)
    assert.equal("OK", t.status)
    -- the list column comes back a list, typed "array" as the parser types it
    assert.same({ 1.5, 2.0 }, t.data[1].v)
    assert.equal(NULL, t.data[2].v)
    for _, row in ipairs(x.data) do row.v = nil end
    for _, row in ipairs(t.data) do row.v = nil end
    table.remove(x.fields)
    table.remove(t.fields)
    assert_votable_identical(x, t, "crafted")
    assert.equal("integer", math.type(t.data[1].id))
  end)

  it("reads back real MAST answers identically (a number in a char column as its text)", function()
    for _, name in ipairs { "caom.json", "products.json", "hsc.json", "tic.json", "matchid.json" } do
      local x = core.json_decode(H.fixture("astroquery-main/" .. name))
      assert_votable_identical(x, core.votable_decode(formats.votable(x)), name)
      assert_votable_identical(x, core.votable_decode(formats.votable(x), nil, "expat"), name .. " (expat)")
    end
  end)

  it("declares no VALUES null when the column holds the sentinel itself", function()
    local text = formats.votable(ds({ { "n", "long" } }, { { n = math.mininteger }, { n = NULL } }))
    assert.is_nil(text:find("VALUES", 1, true))
    local t = core.votable_decode(text)
    assert.equal(math.mininteger, t.data[1].n)
    assert.equal(NULL, t.data[2].n)
  end)

  it("carries units, UCDs and descriptions, and takes a mast.Table", function()
    local x = { fields = { { name = "ra", type = "float", unit = "deg", ucd = "pos.eq.ra", description = "R & A" } },
                data = { { ra = 10.5 } } }
    local t = core.votable_decode(formats.votable(mast.json2table(x)))
    local t2 = core.votable_decode(formats.votable(x))
    assert.same({ "deg", "pos.eq.ra", "R & A" }, { t2.fields[1].unit, t2.fields[1].ucd, t2.fields[1].description })
    assert.equal(10.5, t.data[1].ra)
  end)

  it("refuses a value that does not fit its column, and text XML cannot carry", function()
    local e = H.raises("usage", formats.votable, ds({ { "n", "int" } }, { { n = 1 }, { n = "seven" } }))
    assert.equal("mast.write: row 2, column 'n' (long): 'seven' is not an integer", tostring(e))
    assert.matches("row 1, column 's': the text holds a control character",
      H.raises("usage", formats.votable, ds({ { "s", "string" } }, { { s = "bell\7" } })).message)
    assert.matches("row 1, column 's': the text is not UTF%-8",
      H.raises("usage", formats.votable, ds({ { "s", "string" } }, { { s = "\255" } })).message)
    assert.matches("expected a dataset", H.raises("usage", formats.votable, { 1, 2 }).message)
  end)
end)

describe("mast.write and mast.read", function()
  local dir
  before_each(function() dir = H.tmpdir() end)
  after_each(function() os.execute("rm -rf " .. H.quote(dir)) end)

  local x = ds({ { "id", "int" }, { "name", "string" }, { "mag", "float" } }, {
    { id = 5853498713190525697, name = "Vega", mag = 0.03 },
    { id = 2, name = NULL, mag = NULL },
  })

  local function same(a, b)
    assert.equal(#a.data, #b.data)
    for i, row in ipairs(a.data) do
      for _, f in ipairs(a.fields) do assert.is_true(same_value(row[f.name], b.data[i][f.name]), f.name) end
    end
  end

  it("chooses the format by extension, and reads each back", function()
    for _, ext in ipairs { "csv", "vot", "votable", "xml", "CSV" } do
      local path = dir .. "/t." .. ext
      assert.equal(path, mast.write(x, path))
      local back = mast.read(path)
      same(x, back)
      assert.equal("int", back.fields[1].type)
    end
    assert.matches("^id,name,mag\nint,string,float\n", H.read(dir .. "/t.csv"))
    assert.matches("<VOTABLE", H.read(dir .. "/t.vot"))
    assert.matches("<VOTABLE", H.read(dir .. "/t.xml"))
  end)

  it("takes the format as an option, and passes the others to the writer and the reader", function()
    local path = dir .. "/t.txt"
    mast.write(x, path, { format = "votable", name = "stars" })
    assert.matches('<TABLE name="stars">', H.read(path))
    same(x, mast.read(path, { format = "votable" }))
    mast.write(x, path, { format = "csv", types = false })
    assert.matches("^id,name,mag\n5853498713190525697,", H.read(path))
    local back = mast.read(path, { format = "csv", types = { id = "string" } })
    assert.equal("5853498713190525697", back.data[1].id)
  end)

  it("has method forms on a Result and a mast.Table", function()
    local r = require("mast.dataset").result(x.data, x.fields, "stars")
    same(x, mast.read(r:write(dir .. "/r.csv")))
    same(x, mast.read(mast.json2table(x):write(dir .. "/t.vot")))
    assert.matches('<TABLE name="stars">', H.read(r:write(dir .. "/r.vot")))
  end)

  it("dispatches FITS to mast.fits, loaded only then", function()
    local saved = package.loaded["mast.fits"]
    local calls = {}
    package.loaded["mast.fits"] = {
      write = function(d, path, opts) calls[#calls + 1] = { "write", d, path, opts.extname } return path end,
      read = function(path, hdu) calls[#calls + 1] = { "read", path, hdu } return x end,
    }
    local ok, err = pcall(function()
      assert.equal(dir .. "/t.fits", mast.write(x, dir .. "/t.fits", { extname = "STARS" }))
      assert.equal(x, mast.read(dir .. "/t.fit", { hdu = 2 }))
      mast.read(dir .. "/t.dat", { format = "fits" })
    end)
    package.loaded["mast.fits"] = saved
    assert(ok, err)
    assert.same({ "write", x, dir .. "/t.fits", "STARS" }, calls[1])
    assert.same({ "read", dir .. "/t.fit", 2 }, calls[2])
    assert.same({ "read", dir .. "/t.dat" }, calls[3])
  end)

  it("names the extension it does not know, and refuses bad options", function()
    local e = H.raises("usage", mast.write, x, dir .. "/t.parquet")
    assert.matches("^mast.write: cannot tell the format of .*t%.parquet from its extension '%.parquet'", tostring(e))
    assert.matches("from its name %(it has no extension%)", H.raises("usage", mast.read, dir .. "/README").message)
    assert.matches("option 'format' must be \"csv\", \"votable\" or \"fits\", got 'vot'",
      H.raises("usage", mast.write, x, dir .. "/t.csv", { format = "vot" }).message)
    assert.matches("unknown option 'tipes' %(did you mean 'types'%?%)",
      H.raises("usage", mast.write, x, dir .. "/t.csv", { tipes = false }).message)
    assert.matches("unknown option 'types'",
      H.raises("usage", mast.write, x, dir .. "/t.vot", { types = false }).message)
    assert.matches("expected a dataset", H.raises("usage", mast.write, { 1 }, dir .. "/t.csv").message)
    assert.matches("expected the path to write to", H.raises("usage", mast.write, x).message)
    assert.matches("expected the path of a file to read", H.raises("usage", mast.read, 3).message)
  end)

  it("writes through the output capability: a failed write leaves the old file, and no .part", function()
    local path = dir .. "/t.vot"
    H.write(path, "old")
    local bad = ds({ { "n", "int" } }, { { n = 1 }, { n = "x" } })
    local e = H.raises("usage", mast.write, bad, path)
    assert.equal("mast.write", e.fn)
    assert.equal("old", H.read(path))
    assert.is_nil(io.open(path .. ".part", "rb"))
    H.write(dir .. "/plain", "a file")
    e = H.raises("io", mast.write, x, dir .. "/plain/sub/t.vot")
    assert.equal("mast.write", e.fn)
    assert.is_nil(io.open(dir .. "/plain/sub/t.vot", "rb"))
  end)

  it("reports a file that is not there, or not a VOTable, naming it", function()
    local e = H.raises("io", mast.read, dir .. "/none.vot")
    assert.matches("cannot read .*none%.vot", e.message)
    assert.equal("mast.read", e.fn)
    H.write(dir .. "/bad.vot", "<VOTABLE><RESOURCE>")
    local ok
    ok, e = pcall(mast.read, dir .. "/bad.vot")
    assert.is_false(ok)
    assert.equal("json", e.code)
    assert.equal("mast.read", e.fn)
    assert.equal(dir .. "/bad.vot", e.path)
  end)
end)
