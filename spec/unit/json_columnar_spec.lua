-- The columnar decode: a MAST envelope's rows straight into one array per column.
local core = require "mast.core"
local mast = require "mast"
local columnar = require "mast.columnar"

local NULL = core.null

local function cdecode(text)
  return core.json_decode(text, { columnar = true })
end

describe("the columnar JSON decode", function()
  it("builds one array per column, in the order keys first appear, with exact values", function()
    local v, done = cdecode('{"status":"COMPLETE","data":[{"id":5853498713190525697,"ra":0.0137,"s":"a"},'
                            .. '{"id":-9223372036854775808,"ra":-89.9929,"s":"b\\u00e9"}],"paging":{"rows":2}}')
    assert.is_true(done)
    assert.equal("COMPLETE", v.status)
    assert.equal(2, v.paging.rows)
    assert.same({ "id", "ra", "s" }, v.data.columns)
    assert.equal(2, v.data.n)
    assert.equal(5853498713190525697, v.data.data.id[1])
    assert.equal(math.mininteger, v.data.data.id[2])
    assert.equal("integer", math.type(v.data.data.id[1]))
    assert.same({ 0.0137, -89.9929 }, v.data.data.ra)
    assert.same({ "a", "b\xc3\xa9" }, v.data.data.s)
    -- the kinds of values each column has (1 integer, 2 float, 4 string, 8 boolean, 16 table)
    assert.same({ id = 1, ra = 2, s = 4 }, v.data.seen)
    assert.same({ a = 1 | 2 | 4 | 8 | 16 },
                cdecode('{"data":[{"a":1},{"a":1.5},{"a":"x"},{"a":true},{"a":[]},{"a":null}]}').data.seen)
  end)

  it("gives nulls for keys missing from a row, and back-fills a column first seen later", function()
    local v = cdecode('{"data":[{"a":1,"b":"x"},{"b":"y","a":2},{"a":3},{"c":{"k":[1]},"a":null}]}')
    local d = v.data.data
    assert.same({ "a", "b", "c" }, v.data.columns)
    assert.equal(4, v.data.n)
    assert.same({ 1, 2, 3, NULL }, d.a)
    assert.same({ "x", "y", NULL, NULL }, d.b)
    assert.same({ NULL, NULL, NULL, { k = { 1 } } }, d.c)
    for _, col in pairs(d) do assert.equal(4, #col) end
  end)

  it("keeps the last of duplicate keys, and matches keys written with escapes", function()
    local v = cdecode('{"data":[{"a":1,"a":2,"b":0},{"\\u0061":3,"b":1},{"a":4,"b":2}]}')
    assert.same({ 2, 3, 4 }, v.data.data.a)
    assert.same({ 0, 1, 2 }, v.data.data.b)
  end)

  it("decodes an empty data array as no rows", function()
    local v, done = cdecode('{"data":[],"fields":[]}')
    assert.is_true(done)
    assert.equal(0, v.data.n)
    assert.same({}, v.data.columns)
  end)

  it("decodes as rows when data is not an array of objects, saying so", function()
    for _, text in ipairs{ '{"data":[1,2]}', '{"data":[{"a":1},[1]]}', '{"data":{"a":1}}', '[{"a":1}]',
                           '{"x":{"data":[{"a":1}]}}', '"data"' } do
      local v, done = cdecode(text)
      assert.is_false(done, text)
      assert.same(core.json_decode(text), v, text)
    end
  end)

  it("reports a malformed row as the row decode does", function()
    for _, text in ipairs{ '{"data":[{"a":1},{"a":2,}]}', '{"data":[{"a":1}', '{"data":[{"a":01}]}',
                           '{"data":[{"a":1} {"a":2}]}', '{"data":[{"a" 1}]}', '{"data":[{"a":"\\x"}]}' } do
      local ok1, e1 = pcall(core.json_decode, text, "the answer")
      local ok2, e2 = pcall(core.json_decode, text, "the answer", { columnar = true })
      assert.is_false(ok1)
      assert.is_false(ok2)
      assert.equal("json", e2.code)
      assert.equal(e1.message, e2.message)
      assert.equal(e1.offset, e2.offset)
    end
  end)

  it("rejects unknown or mistyped options", function()
    local ok, e = pcall(core.json_decode, "{}", { columnar = 1 })
    assert.is_false(ok)
    assert.equal("usage", e.code)
    assert.matches("columnar", e.message)
    ok, e = pcall(core.json_decode, "{}", { colunmar = true })
    assert.is_false(ok)
    assert.matches("unknown option 'colunmar'", e.message)
  end)
end)

describe("mast.json2table of JSON text", function()
  local text = [[{"status":"COMPLETE","msg":"","data":[
    {"obs_id":"U27XCS01T","calib_level":3,"t_exptime":1500,"obsid":2003585980,"distance":2.5,
     "_selected_":null,"flag":1,"extra":7},
    {"obs_id":"U27XCS02T","calib_level":4.0,"t_exptime":12.5,"obsid":5853498713190525696,
     "distance":"3.5","_selected_":true,"flag":0}],
    "fields":[{"name":"obs_id","type":"string"},{"name":"calib_level","type":"int"},
     {"name":"t_exptime","type":"float"},{"name":"obsid","type":"string"},
     {"name":"distance","type":"float"},{"name":"_selected_","type":"boolean"},
     {"name":"flag","type":"boolean"},{"name":"nowhere","type":"float"}]}]]

  it("is the table json2table makes of the decoded rows", function()
    local t = mast.json2table(text)
    local r = mast.json2table(mast.json.decode(text))
    assert.equal(getmetatable(r), getmetatable(t))
    assert.same(r.columns, t.columns)
    assert.same(r.types, t.types)
    assert.same(r.kinds, t.kinds)
    assert.equal(r.n, t.n)
    assert.same(r.data, t.data)
    assert.equal("float", math.type(t.data.t_exptime[1]))
    assert.equal("integer", math.type(t.data.calib_level[2]))
    assert.equal(3.5, t.data.distance[2])
    assert.same({ true, false }, t.data.flag)
    assert.same({ NULL, NULL }, t.data.nowhere)
    assert.equal(5853498713190525696, t.data.obsid[2])
    assert.is_nil(t.data.extra)
  end)

  it("keeps the rows view", function()
    local t = columnar.decode(text)
    assert.equal(2, #t)
    assert.equal("U27XCS02T", t:row(2).obs_id)
    assert.equal(NULL, t:row(1)._selected_)
    assert.is_nil(t:row(3))
    assert.equal(2, #t:envelope().data)
  end)

  it("agrees with json2table of the rows on random ragged rows", function()
    local seed = 7
    local function rnd(n)
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    end
    local keys = { "a", "b", "c", "d", "e" }
    local values = { "1", "-2", "3.25", "1e3", "null", "true", "false", '"s"', '"t\\n"', '[1,{"x":2}]',
                     '{}', '9223372036854775807', '""' }
    for _ = 1, 200 do
      local rows = {}
      for i = 1, rnd(6) do
        local members = {}
        for _ = 1, rnd(6) do
          members[#members + 1] = ('"%s":%s'):format(keys[rnd(#keys) + 1], values[rnd(#values) + 1])
        end
        rows[i] = "{" .. table.concat(members, ",") .. "}"
      end
      local fields = {}
      for i = 1, rnd(5) + 1 do
        fields[i] = ('{"name":"%s","type":"%s"}'):format(keys[i], ({ "int", "float", "string", "boolean" })[rnd(4) + 1])
      end
      local doc = '{"fields":[' .. table.concat(fields, ",") .. '],"data":[' .. table.concat(rows, ",") .. "]}"
      local t, r = columnar.decode(doc), columnar.json2table(core.json_decode(doc))
      assert.same(r.columns, t.columns, doc)
      assert.equal(r.n, t.n, doc)
      assert.same(r.data, t.data, doc)
    end
  end)

  it("names what is wrong with what it was given", function()
    local ok, e = pcall(mast.json2table, '{"data":[{"a":1}]}')
    assert.is_false(ok)
    assert.equal("usage", e.code)
    assert.matches("mast.json2table", e.message)
    ok, e = pcall(columnar.decode, 42)
    assert.is_false(ok)
    assert.matches("expected JSON text", e.message)
  end)
end)
