-- mast.read_csv: CSV back into a dataset (no network).
local mast = require "mast"
local core = require "mast.core"

local NULL = mast.null

local RECORDED = { "caom.json", "advSearch.json", "advSearchPos.json", "products.json", "hsc.json", "tic.json",
                   "dd.json", "matchid.json", "spectra.json", "countsResp.json" }

local assert_identical = H.assert_same_dataset

local ds = H.dataset

describe("mast.read_csv", function()
  it("reads back what json2csv wrote from real MAST answers, identically", function()
    for _, name in ipairs(RECORDED) do
      local x = core.json_decode(H.fixture("astroquery-main/" .. name))
      local text = mast.json2csv(x)
      local r = mast.read_csv { text = text }
      assert_identical(x, r, name)
      assert.equal(text, mast.json2csv(r), name)   -- and writes the same bytes again
      assert_identical(x, mast.read_csv { text = mast.json2csv(x, { eol = "\r\n" }) }, name .. " (CRLF)")
    end
  end)

  it("keeps the ids MAST sends as integers in 'string' columns, exactly", function()
    local x = core.json_decode(H.fixture("astroquery-main/caom.json"))
    local r = mast.read_csv { text = mast.json2csv(x) }
    local obsid
    for _, f in ipairs(r.fields) do if f.name == "obsid" then obsid = f end end
    assert.equal("string", obsid.type)   -- as MAST declares it
    for i, row in ipairs(x.data) do
      assert.equal("integer", math.type(r.data[i].obsid))
      assert.equal(row.obsid, r.data[i].obsid)
    end
  end)

  it("round-trips crafted edge cases: 64-bit integers, floats, specials, strings that look like numbers", function()
    local x = ds({ { "id", "string" }, { "n", "int" }, { "x", "float" }, { "ok", "boolean" }, { "s", "string" },
                   { "l", "array" } }, {
      { id = 5853498713190525697, n = math.mininteger, x = 0.1 + 0.2, ok = true, s = "0123", l = { 1, 2.5 } },
      { id = "5853498713190525697", n = math.maxinteger, x = 1500.0, ok = false, s = "12", l = NULL },
      { id = "U27XCS01T", n = NULL, x = 0 / 0, ok = NULL, s = "true", l = { "a,b" } },
      { id = NULL, n = 0, x = math.huge, ok = true, s = "", l = mast.array {} },
      { id = "x,y", n = -1, x = -math.huge, ok = false, s = 'say "hi"' },
      { id = "two\nlines", n = 7, x = -0.0, ok = true, s = "cr\rhere" },
      { id = "  padded ", n = 3, x = 1e-300, ok = false, s = "Éta Carinae" },
      { id = "12345678901234567890", n = 4, x = 0, ok = true, s = "1e5" },
      { id = "NaN", n = 5, x = 5, ok = true, s = "-Infinity" },
    })
    assert_identical(x, mast.read_csv { text = mast.json2csv(x) }, "crafted")
    assert_identical(x, mast.read_csv { text = mast.json2csv(x, { eol = "\r\n" }) }, "crafted CRLF")
  end)

  it("quotes, in json2csv, the strings that would read back as numbers or booleans", function()
    local x = ds({ { "s", "string" } }, { { s = "0123" }, { s = "42" }, { s = "TRUE" }, { s = "nan" }, { s = "a1" } })
    assert.equal('s\nstring\n"0123"\n"42"\n"TRUE"\n"nan"\na1\n', mast.json2csv(x))
  end)

  it("reads ordinary CSV: a header, CRLF, a byte order mark, quoted fields with commas, quotes, line breaks",
    function()
      local r = mast.read_csv { text = "\239\187\191name,note,n\r\n"
        .. 'Vega,"bright, blue",1\r\n"Sirius ""A""","two\r\nlines",2\r\n' }
      assert.same({ "name", "note", "n" }, r:columns())
      assert.equal(2, r:count())
      assert.equal("bright, blue", r.data[1].note)
      assert.equal('Sirius "A"', r.data[2].name)
      assert.equal("two\r\nlines", r.data[2].note)
      assert.equal(2, r.data[2].n)
      assert.equal("int", r.fields[3].type)
    end)

  it("infers each column's type from all its values", function()
    local r = mast.read_csv { text = "i,f,b,s,id,big,e,mixed\n"
      .. "1,1,true,a,007,5853498713190525697,,1\n"
      .. "-2,2.5,False,1,123,-9223372036854775808,,x\n"
      .. ",NaN,,,,,,\n"
      .. "3,-inf,TRUE,b,0042,1,,true\n" }
    local types = {}
    for _, f in ipairs(r.fields) do types[f.name] = f.type end
    assert.same({ i = "int", f = "float", b = "boolean", s = "string", id = "string", big = "int", e = "string",
                  mixed = "string" }, types)
    local d = r.data
    assert.equal("integer", math.type(d[2].i))
    assert.equal(NULL, d[3].i)
    assert.equal("float", math.type(d[1].f))          -- a float column is all floats
    assert.equal(1.0, d[1].f)
    assert.is_true(d[3].f ~= d[3].f)
    assert.equal(-math.huge, d[4].f)
    assert.same({ true, false, NULL, true }, { d[1].b, d[2].b, d[3].b, d[4].b })
    assert.equal("1", d[2].s)                          -- text in a text column stays text
    assert.same({ "007", "123", NULL, "0042" }, { d[1].id, d[2].id, d[3].id, d[4].id })   -- ids keep their zeros
    assert.equal(5853498713190525697, d[1].big)
    assert.equal(math.mininteger, d[2].big)
    assert.equal(NULL, d[1].e)
    assert.same({ "1", "x", NULL, "true" }, { d[1].mixed, d[2].mixed, d[3].mixed, d[4].mixed })
  end)

  it("keeps a quote inside a bare field, and reads a last record without a line end", function()
    local r = mast.read_csv { text = 'a,b\r\n1,x"y\r\n2,"last"' }
    assert.equal('x"y', r.data[1].b)
    assert.equal("last", r.data[2].b)
    r = mast.read_csv { text = "a\tb\n1\t2\r", sep = "\t" }
    assert.equal(2, r.data[1].b)
    r = mast.read_csv { text = "a,b" }   -- a header alone, without a line end
    assert.same({ "a", "b" }, r:columns())
    assert.equal(0, r:count())
    assert.equal(5, mast.read_csv({ text = "a\n5" }).data[1].a)
  end)

  it("keeps an empty quoted field an empty string, and an empty bare field null", function()
    local r = mast.read_csv { text = 'a,b\n"",\n' }
    assert.equal("", r.data[1].a)
    assert.equal(NULL, r.data[1].b)
  end)

  it("skips blank lines, except in a one-column CSV, where an empty line is a null", function()
    local r = mast.read_csv { text = "a,b\n1,2\n\n3,4\n\n" }
    assert.equal(2, r:count())
    local one = mast.read_csv { text = "a\n1\n\n2\n" }
    assert.same({ 1, NULL, 2 }, { one.data[1].a, one.data[2].a, one.data[3].a })
  end)

  it("takes the types it is given, and says where a value does not fit", function()
    local r = mast.read_csv { text = "id,n,x,ok\n5853498713190525697,1,2,yes\n0012,,3,0\n" }
    assert.same({ "string", "int", "int", "string" },   -- "0012" is an id; yes/0 are not booleans
      { r.fields[1].type, r.fields[2].type, r.fields[3].type, r.fields[4].type })
    r = mast.read_csv { text = "id,n,x,ok\n5853498713190525697,1,2,yes\n0012,,3,0\n",
                        types = { id = "string", n = "float", x = "float", ok = "boolean" } }
    assert.same({ "string", "float", "float", "boolean" },
      { r.fields[1].type, r.fields[2].type, r.fields[3].type, r.fields[4].type })
    assert.equal("5853498713190525697", r.data[1].id)
    assert.equal("0012", r.data[2].id)
    assert.equal("float", math.type(r.data[1].n))
    assert.equal(NULL, r.data[2].n)
    assert.same({ true, false }, { r.data[1].ok, r.data[2].ok })
    local e = H.raises("usage", mast.read_csv, { text = "a,n\nx,1\ny,two\n", types = { n = "int" } })
    assert.equal("mast.read_csv: line 3, column 2 (n): 'two' is not an integer", tostring(e))
    assert.same({ 3, 2 }, { e.line, e.column })
    assert.matches("no column 'rb' %(did you mean 'ra'%?%)",
      H.raises("usage", mast.read_csv, { text = "ra,dec\n", types = { rb = "float" } }).message)
    assert.matches("types.n must be a type name",
      H.raises("usage", mast.read_csv, { text = "a,n\n", types = { n = "integral" } }).message)
  end)

  it("names the line and the column of a malformed record", function()
    local e = H.raises("usage", mast.read_csv, { text = 'a,b\n1,2\n3,"open\nstill open\n' })
    assert.equal('mast.read_csv: line 3, column 2 (b): a quoted field is never closed', tostring(e))
    e = H.raises("usage", mast.read_csv, { text = 'a,b,c\n1,2,3\n"x\ny",5\n' })
    -- (a record's line is the one it starts on)
    assert.equal("mast.read_csv: line 3, column 3 (c): this row has 2 fields, the header has 3", tostring(e))
    e = H.raises("usage", mast.read_csv, { text = 'a,b\n1,2,3\n' })
    assert.equal("mast.read_csv: line 2, column 3: this row has 3 fields, the header has 2", tostring(e))
    e = H.raises("usage", mast.read_csv, { text = 'a,b\n1,"2"x\n' })
    assert.matches('^mast.read_csv: line 2, column 2 %(b%): a closing quote must end the field, but "x" follows it$',
      tostring(e))
    -- a line number after records that hold line breaks, found for a type error
    e = H.raises("usage", mast.read_csv, { text = 'a,n\n"1\n2",1\n"3\n\n4",2\nz,bad\n', types = { n = "int" } })
    assert.equal(7, e.line)
    assert.matches("the column name 'a' appears twice", H.raises("usage", mast.read_csv, { text = "a,b,a\n" }).message)
    assert.matches("the CSV is empty", H.raises("usage", mast.read_csv, { text = "" }).message)
  end)

  it("reads a file, and names it in an error", function()
    local dir = H.tmpdir()
    local x = core.json_decode(H.fixture("astroquery-main/products.json"))
    local path = mast.json2csv(x, { file = dir .. "/p.csv" })
    assert_identical(x, mast.read_csv(path), "products.json from a file")
    H.write(dir .. "/bad.csv", 'a\n"open\n')
    local e = H.raises("usage", mast.read_csv, dir .. "/bad.csv")
    assert.matches("^mast.read_csv: .*bad%.csv: line 2, column 1 %(a%)", tostring(e))
    assert.equal(dir .. "/bad.csv", e.path)
    e = H.raises("io", mast.read_csv, dir .. "/none.csv")
    assert.matches("cannot read .*none%.csv", e.message)
    assert.equal("mast.read_csv", e.fn)
    os.execute("rm -rf " .. H.quote(dir))
  end)

  it("takes another separator, and json2csv's type row can be turned off or forced", function()
    local r = mast.read_csv { text = "a;b\n1;x,y\n", sep = ";" }
    assert.equal("x,y", r.data[1].b)
    r = mast.read_csv { text = "kind\nstring\nint\n", type_row = false }
    assert.same({ "string", "int" }, { r.data[1].kind, r.data[2].kind })
    r = mast.read_csv { text = "kind\nstring\nint\n" }
    assert.equal("string", r.fields[1].type)
    assert.equal(1, r:count())
  end)

  it("refuses what is not a path or text, and unknown options", function()
    assert.matches("expected the path of a CSV file", H.raises("usage", mast.read_csv, 42).message)
    assert.matches("give a path or opts.text, not both",
      H.raises("usage", mast.read_csv, "x.csv", { text = "a\n" }).message)
    assert.matches("unknown option 'type' %(did you mean 'types'%?%)",
      H.raises("usage", mast.read_csv, { text = "a\n", type = {} }).message)
    assert.matches("option 'sep' must be one character",
      H.raises("usage", mast.read_csv, { text = "a\n", sep = "::" }).message)
  end)

  it("prints as a dataset and takes the table operations' view (json2table)", function()
    local r = mast.read_csv { text = "a,b\n1,x\n" }
    assert.matches("CSV: 1 row", tostring(r))
    assert.equal(1, mast.json2table(r).data.a[1])
  end)
end)
