-- mast.json2csv (no network).
local mast = require "mast"

local function dataset(fields, data)
  local f = {}
  for i, p in ipairs(fields) do f[i] = { name = p[1], type = p[2] } end
  return { status = "COMPLETE", msg = "", fields = f, data = data }
end

describe("mast.json2csv", function()
  it("writes the page's layout: names, types, then the rows in column order", function()
    local r = dataset({ { "obs_id", "string" }, { "s_ra", "float" }, { "calib_level", "int" } },
      { { calib_level = 3, s_ra = 23.11817129395, obs_id = "U27XCS01T" },
        { obs_id = "U27XCS02T", s_ra = 10.5, calib_level = 2 } })
    assert.equal("obs_id,s_ra,calib_level\nstring,float,int\nU27XCS01T,23.11817129395,3\nU27XCS02T,10.5,2\n",
      mast.json2csv(r))
  end)

  it("quotes commas, quotes and newlines as RFC 4180 says", function()
    local r = dataset({ { "a", "string" }, { "b", "string" }, { "c", "string" }, { "d", "string" } },
      { { a = "x,y", b = 'say "hi"', c = "two\nlines", d = "cr\rhere" } })
    assert.equal('a,b,c,d\nstring,string,string,string\n"x,y","say ""hi""","two\nlines","cr\rhere"\n',
      mast.json2csv(r))
  end)

  it("leaves nulls and missing values empty, and writes an empty string as \"\"", function()
    local r = dataset({ { "a", "int" }, { "b", "string" }, { "c", "string" } },
      { { a = mast.null, b = "" }, { a = 1, b = mast.null, c = "z" } })
    assert.equal('a,b,c\nint,string,string\n,"",\n1,,z\n', mast.json2csv(r))
  end)

  it("writes integers exactly, floats in their shortest form, booleans as true/false", function()
    local r = dataset({ { "id", "string" }, { "x", "float" }, { "y", "float" }, { "ok", "boolean" } }, {
      { id = 5853498713190525696, x = 0.1 + 0.2, y = 1500.0, ok = true },
      { id = 10000732589, x = 293.09734393044442, y = 1e-7, ok = false },
    })
    local text = mast.json2csv(r, { types = false })
    assert.equal("id,x,y,ok\n5853498713190525696,0.30000000000000004,1500.0,true\n"
      .. "10000732589,293.0973439304444,1e-07,false\n", text)
    -- every number reads back as the same value
    local second = text:match("\n([^\n]+)\n$")
    local id, x = second:match("^(%d+),([^,]+),")
    assert.equal(10000732589, math.tointeger(id))
    assert.equal(293.09734393044442, tonumber(x))
  end)

  it("leaves out the type row with types = false, and writes CRLF with eol = '\\r\\n'", function()
    local r = dataset({ { "a", "int" } }, { { a = 1 } })
    assert.equal("a\n1\n", mast.json2csv(r, { types = false }))
    assert.equal("a\r\nint\r\n1\r\n", mast.json2csv(r, { eol = "\r\n" }))
  end)

  it("quotes column names that need it", function()
    assert.equal('"a,b"\nint\n', mast.json2csv(dataset({ { "a,b", "int" } }, {})))
  end)

  it("writes a file through <path>.part, renamed when complete", function()
    local dir = H.tmpdir()
    local path = dir .. "/out.csv"
    local rows = {}
    for i = 1, 5000 do rows[i] = { n = i, s = "row " .. i } end
    local r = dataset({ { "n", "int" }, { "s", "string" } }, rows)
    assert.equal(path, mast.json2csv(r, { file = path }))
    local text = H.read(path)
    assert.equal(mast.json2csv(r), text)
    assert.is_nil(io.open(path .. ".part", "rb"))
    assert.equal(5002, select(2, text:gsub("\n", "")))
    os.execute("rm -rf " .. H.quote(dir))
  end)

  it("raises an io error, and leaves nothing behind, when the file cannot be written", function()
    local dir = H.tmpdir()
    H.write(dir .. "/plain", "a file, not a directory")
    local path = dir .. "/plain/sub/out.csv"
    local e = H.raises("io", mast.json2csv, dataset({ { "a", "int" } }, { { a = 1 } }), { file = path })
    assert.matches("cannot create the directory for .*plain/sub/out%.csv", e.message)
    assert.equal("mast.json2csv", e.fn)
    assert.equal(path, e.path)
    assert.matches("^mast.json2csv: ", tostring(e))
    assert.is_nil(io.open(path, "rb"))
    assert.is_nil(io.open(path .. ".part", "rb"))
    os.execute("rm -rf " .. H.quote(dir))
  end)

  it("creates the directories a file is written in, as mast.download does", function()
    local dir = H.tmpdir()
    local path = dir .. "/a/b/out.csv"
    assert.equal(path, mast.json2csv(dataset({ { "a", "int" } }, { { a = 1 } }), { file = path }))
    assert.equal('a\nint\n1\n', H.read(path))
    os.execute("rm -rf " .. H.quote(dir))
  end)

  it("leaves an existing file alone when a value cannot be written", function()
    local dir = H.tmpdir()
    local path = dir .. "/out.csv"
    H.write(path, "old")
    H.raises("usage", mast.json2csv, dataset({ { "a", "string" } }, { { a = "x" }, { a = print } }), { file = path })
    assert.equal("old", H.read(path))
    assert.is_nil(io.open(path .. ".part", "rb"))
    os.execute("rm -rf " .. H.quote(dir))
  end)

  it("takes a table from mast.json2table", function()
    local r = dataset({ { "a", "int" }, { "b", "float" } }, { { a = 1, b = "2.5" } })
    assert.equal("a,b\nint,float\n1,2.5\n", mast.json2csv(mast.json2table(r)))
  end)

  it("refuses what is not a result, and unknown or wrong options", function()
    assert.matches("expected a MAST result", H.raises("usage", mast.json2csv, { 1, 2 }).message)
    assert.matches("unknown option 'type' %(did you mean 'types'%?%)",
      H.raises("usage", mast.json2csv, dataset({}, {}), { type = false }).message)
    assert.matches("option 'types' must be true or false",
      H.raises("usage", mast.json2csv, dataset({}, {}), { types = "no" }).message)
    assert.matches("option 'eol'", H.raises("usage", mast.json2csv, dataset({}, {}), { eol = ";" }).message)
  end)
end)
