-- mast.json2table (no network).
local mast = require "mast"

local function dataset(fields, data)
  local f = {}
  for i, p in ipairs(fields) do f[i] = { name = p[1], type = p[2] } end
  return { fields = f, data = data }
end

describe("mast.json2table", function()
  -- as MAST sends it: ids declared string arrive as integers, nulls as null
  local caom = mast.json.decode([[{"status":"COMPLETE","msg":"","data":[
    {"obs_id":"U27XCS01T","calib_level":3,"t_exptime":1500,"obsid":2003585980,"objID":2012765872,
     "distance":293.09734393044442,"_selected_":null,"dataURL":null},
    {"obs_id":"U27XCS02T","calib_level":null,"t_exptime":12.5,"obsid":5853498713190525696,"objID":1,
     "distance":0,"_selected_":true,"dataURL":"x"}],
    "fields":[{"name":"obs_id","type":"string"},{"name":"calib_level","type":"int"},
     {"name":"t_exptime","type":"float"},{"name":"obsid","type":"string"},{"name":"objID","type":"string"},
     {"name":"distance","type":"float"},{"name":"_selected_","type":"boolean"},{"name":"dataURL","type":"string"}],
    "paging":{"page":1,"pageSize":2,"pagesFiltered":1,"rows":2,"rowsFiltered":2,"rowsTotal":2}}]])

  it("gives the column names in order, their MAST types, and one array per column", function()
    local t = mast.json2table(caom)
    assert.same({ "obs_id", "calib_level", "t_exptime", "obsid", "objID", "distance", "_selected_", "dataURL" },
      t.columns)
    assert.same({ "string", "int", "float", "string", "string", "float", "boolean", "string" }, t.types)
    assert.same({ "string", "integer", "float", "string", "string", "float", "boolean", "string" }, t.kinds)
    assert.equal(2, t.n)
    assert.equal(2, #t)
    assert.same({ "U27XCS01T", "U27XCS02T" }, t.data.obs_id)
    assert.equal(t.data.obs_id, t:column("obs_id"))
    assert.equal(t.data.obs_id, t.obs_id)
  end)

  it("keeps an int column with a null (the page's version crashes on it)", function()
    local t = mast.json2table(caom)
    assert.equal(3, t.data.calib_level[1])
    assert.equal("integer", math.type(t.data.calib_level[1]))
    assert.equal(mast.null, t.data.calib_level[2])
    assert.equal(2, #t.data.calib_level)
  end)

  it("converts float columns to floats and keeps ids declared string as exact integers", function()
    local t = mast.json2table(caom)
    assert.equal("float", math.type(t.data.t_exptime[1]))
    assert.equal(1500.0, t.data.t_exptime[1])
    assert.equal("float", math.type(t.data.distance[2]))
    assert.equal(2003585980, t.data.obsid[1])
    assert.equal("integer", math.type(t.data.obsid[1]))
    assert.equal(5853498713190525696, t.data.obsid[2])
    assert.equal("integer", math.type(t.data.obsid[2]))
  end)

  it("keeps nulls as mast.null and booleans as booleans", function()
    local t = mast.json2table(caom)
    assert.equal(mast.null, t.data._selected_[1])
    assert.is_true(t.data._selected_[2])
    assert.equal(mast.null, t.data.dataURL[1])
  end)

  it("gives rows by index, and nil past the end", function()
    local t = mast.json2table(caom)
    local row = t[2]
    assert.equal("U27XCS02T", row.obs_id)
    assert.equal(mast.null, row.calib_level)
    assert.same(row, t:row(2))
    assert.is_nil(t[3])
    assert.is_nil(t:row(0))
    local n = 0
    for i, r in ipairs(t) do
      n = n + 1
      assert.equal(t.data.obs_id[i], r.obs_id)
    end
    assert.equal(2, n)
    n = 0
    for i, r in t:rows() do
      n = i
      assert.equal(t.data.objID[i], r.objID)
    end
    assert.equal(2, n)
  end)

  it("reads numbers sent as strings by the declared type, and keeps what does not fit", function()
    local t = mast.json2table(dataset(
      { { "f", "double" }, { "i", "long" }, { "b", "boolean" }, { "s", "char" }, { "x", "mystery" } },
      { { f = "2.5", i = "42", b = "True", s = 7, x = "q" },
        { f = "", i = 3.0, b = 0, s = "t", x = 1 },
        { f = "n/a", i = 2.5, b = "maybe", s = mast.null, x = true },
        { f = "NaN", i = "12345678901234567", b = "false" } }))
    assert.same({ 2.5, mast.null, "n/a" }, { t.data.f[1], t.data.f[2], t.data.f[3] })
    assert.is_true(t.data.f[4] ~= t.data.f[4])   -- NaN
    assert.equal("integer", math.type(t.data.i[1]))
    assert.equal(42, t.data.i[1])
    assert.equal("integer", math.type(t.data.i[2]))
    assert.equal(2.5, t.data.i[3])               -- not truncated
    assert.equal(12345678901234567, t.data.i[4])
    assert.same({ true, false, "maybe", false }, t.data.b)
    assert.same({ 7, "t", mast.null, mast.null }, t.data.s)
    assert.same({ "q", 1, true, mast.null }, t.data.x)
    assert.same({ "float", "integer", "boolean", "string", "any" }, t.kinds)
  end)

  it("maps the SQL type words of the Missions API", function()
    local t = mast.json2table(dataset({ { "a", "INTEGER" }, { "b", "FLOAT" }, { "c", "VARCHAR" } },
      { { a = "1", b = 2, c = "x" } }))
    assert.same({ "integer", "float", "string" }, t.kinds)
    assert.equal(1, t.data.a[1])
    assert.equal("float", math.type(t.data.b[1]))
  end)

  it("goes back to a dataset, and prints as a grid", function()
    local t = mast.json2table(caom)
    local env = t:envelope()
    assert.same({ name = "calib_level", type = "int" }, env.fields[2])
    assert.equal(2, #env.data)
    assert.equal(5853498713190525696, env.data[2].obsid)
    local text = tostring(t)
    assert.matches("^mast%.Table: 2 rows, 8 columns", text)
    assert.matches("U27XCS02T", text)
  end)

  it("names what is wrong", function()
    local t = mast.json2table(caom)
    assert.matches("no column 'obsids' %(did you mean 'obsid'%?%)", H.raises("usage", t.column, t, "obsids").message)
    assert.matches("expected a MAST result", H.raises("usage", mast.json2table, { 1 }).message)
    assert.matches("fields%[1%] must be", H.raises("usage", mast.json2table, { fields = { 1 }, data = {} }).message)
    assert.matches("appears twice", H.raises("usage", mast.json2table,
      dataset({ { "a", "int" }, { "a", "int" } }, {})).message)
  end)

  it("handles an empty result", function()
    local t = mast.json2table(dataset({ { "a", "int" } }, {}))
    assert.equal(0, #t)
    assert.same({}, t.data.a)
    assert.is_nil(t[1])
  end)
end)
