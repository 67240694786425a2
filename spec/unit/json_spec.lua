-- The wire codec: exact both ways, deterministic, and strict about what it cannot encode.
local core = require "mast.core"
local mast = require "mast"

describe("the JSON codec", function()
  describe("keeps 64-bit integers exact where lua-cjson loses them", function()
    local text = '{"source_id":5853498713190525696,"ID":10000732589,"big":9223372036854775807,'
              .. '"min":-9223372036854775808,"two63":9223372036854775808}'

    it("decodes ids as Lua integers with every digit", function()
      local t = mast.json.decode(text)
      assert.equal("integer", math.type(t.source_id))
      assert.equal(5853498713190525696, t.source_id)
      assert.equal("5853498713190525696", tostring(t.source_id))
      assert.equal(10000732589, t.ID)
      assert.equal(math.maxinteger, t.big)
      assert.equal(math.mininteger, t.min)
      -- 2^63 does not fit: it becomes the nearest float
      assert.equal("float", math.type(t.two63))
      assert.equal(2.0^63, t.two63)
    end)

    it("shows lua-cjson 2.1.0's loss beside ours", function()
      local cjson = require "cjson"
      local theirs = cjson.decode(text)
      local ours = mast.json.decode(text)
      -- cjson: a double, 256 away from the real id
      assert.equal("float", math.type(theirs.source_id))
      assert.equal(5853498713190525952, math.tointeger(theirs.source_id))
      assert.are_not.equal(ours.source_id, math.tointeger(theirs.source_id))
      -- and its encoder keeps 14 significant digits
      assert.equal('[5.8534987131905e+18]', cjson.encode({ ours.source_id + 0.0 }))
      assert.equal('[5853498713190525696]', mast.json.encode({ ours.source_id }))
    end)

    it("round-trips the ids of a recorded MAST response", function()
      local text2 = H.fixture("astroquery-main/tic.json")
      local t = mast.json.decode(text2)
      local again = mast.json.decode(mast.json.encode(t))
      for i, row in ipairs(t.data) do
        assert.equal(row.ID, again.data[i].ID)
        assert.equal(math.type(row.ID), math.type(again.data[i].ID))
      end
    end)
  end)

  it("uses one null for both directions, equal to cjson.null", function()
    local cjson = require "cjson"
    assert.equal(cjson.null, mast.null)
    assert.equal(mast.null, mast.json.decode("null"))
    assert.equal(mast.null, mast.json.decode('{"a":null}').a)
    assert.equal('{"a":null}', mast.json.encode({ a = mast.null }))
    assert.equal('[null]', mast.json.encode({ cjson.null }))
  end)

  it("writes floats in the shortest form that round-trips and keeps integers integers", function()
    assert.equal('[0.1,100.0,-0.0,1,0.30000000000000004,1e+300]',
      mast.json.encode({ 0.1, 100.0, -0.0, 1, 0.1 + 0.2, 1e300 }))
    assert.equal('[254.28746,-4.09933,0.2]', mast.json.encode({ 254.28746, -4.09933, 0.2 }))
  end)

  describe("encodes the examples page's requests, written as Lua tables, as the page's JSON", function()
    local query = require "mast.query"
    -- what mast.query sends: the form body of the request's JSON
    local function sends(json, request)
      assert.equal("request=" .. core.urlencode(json), query.encode(request))
    end

    it("keeps 'params': {} an object", function()
      sends('{"format":"json","params":{},"service":"Mast.Missions.List"}',
        { service = "Mast.Missions.List", params = {}, format = "json" })
      assert.equal('{"format":"json","params":{},"service":"Mast.Missions.List"}',
        mast.json.encode({ service = "Mast.Missions.List", params = {}, format = "json" }))
    end)

    it("keeps a filter's 'values': [] an array (advanced_search_counts)", function()
      local request = {
        service = "Mast.Caom.Filtered",
        format = "json",
        params = {
          columns = "COUNT_BIG(*)",
          filters = {
            { paramName = "filters", values = { "NUV", "FUV" }, separator = ";" },
            { paramName = "t_max", values = { { min = 52264.4586, max = 54452.8914 } } },
            { paramName = "obsid", values = {}, freeText = "%200%" },
          },
        },
      }
      sends('{"format":"json","params":{"columns":"COUNT_BIG(*)","filters":['
        .. '{"paramName":"filters","separator":";","values":["NUV","FUV"]},'
        .. '{"paramName":"t_max","values":[{"max":54452.8914,"min":52264.4586}]},'
        .. '{"freeText":"%200%","paramName":"obsid","values":[]}]},"service":"Mast.Caom.Filtered"}',
        request)
    end)

    it("keeps an empty filter list, an upload's fields and data arrays, below the top only", function()
      sends('{"format":"json","params":{"filters":[]},"service":"S"}', { service = "S", params = { filters = {} } })
      sends('{"data":{"data":[],"fields":[]},"format":"json","params":{},"service":"S"}',
        { service = "S", data = { fields = {}, data = {} }, params = {} })
      sends('{"data":{},"format":"json","params":{"Values":{},"other":{}},"service":"S"}',
        { service = "S", data = {}, params = { other = {}, Values = {} } })
      sends('{"format":"json","params":{"filters":{}},"service":"S"}',
        { service = "S", params = { filters = mast.object() } })
    end)
  end)

  describe("leaves empty tables to markers and to the caller's schema", function()
    it("an empty unmarked table is an object wherever it is", function()
      assert.equal('{"params":{"filters":{}},"service":"S"}',
        mast.json.encode({ service = "S", params = { filters = {} } }))
      assert.equal('{"a":{"data":{},"fields":{},"values":{}}}',
        mast.json.encode({ a = { values = {}, data = {}, fields = {} } }))
      assert.equal('[{"values":{}}]', mast.json.encode({ { values = {} } }))
      assert.equal('{"a":[],"b":{}}', mast.json.encode({ a = mast.array(), b = mast.object() }))
      assert.equal('{"a":{}}', mast.json.encode({ a = {} }))
    end)

    it("names keys whose empty tables are arrays, from a depth on", function()
      local opt = { empty_array_keys = { "rows", "cols" } }
      assert.equal('{"cols":[],"other":{},"rows":[],"x":{"rows":[]}}',
        core.json_encode({ rows = {}, cols = {}, other = {}, x = { rows = {} } }, "v", opt))
      opt.empty_array_depth = 2
      assert.equal('{"cols":{},"rows":{},"x":{"rows":[]},"y":[{"cols":[]}]}',
        core.json_encode({ rows = {}, cols = {}, x = { rows = {} }, y = { { cols = {} } } }, "v", opt))
      -- markers still win, and non-empty tables are what their keys say
      assert.equal('{"rows":{},"x":{"rows":[1]}}',
        core.json_encode({ rows = mast.object(), x = { rows = { 1 } } }, nil, { empty_array_keys = { "rows" } }))
      assert.equal('{"rows":{}}', core.json_encode({ rows = {} }, nil, {}))
    end)

    it("refuses options it does not know, naming them", function()
      local function usage(opt, pattern)
        local e = H.raises("usage", core.json_encode, { a = {} }, "v", opt)
        assert.matches(pattern, e.message)
      end
      usage({ empty_arrays = {} }, "unknown option 'empty_arrays'")
      usage({ "values" }, "unknown option number key")
      usage({ empty_array_keys = "values" }, "'empty_array_keys' must be a list of strings, got string")
      usage({ empty_array_keys = { "a", 2 } }, "'empty_array_keys'%[2%] must be a string, got number")
      usage({ empty_array_keys = {}, empty_array_depth = 0 }, "'empty_array_depth' must be an integer")
      usage({ empty_array_keys = {}, empty_array_depth = 1.5 }, "'empty_array_depth' must be an integer")
      usage("values", "options must be a table, got string")
    end)

    it("round-trips a decoded response's empty arrays and objects", function()
      local text = '{"data":[],"fields":[],"paging":{},"x":{"values":{}}}'
      assert.equal(text, mast.json.encode(mast.json.decode(text)))
    end)
  end)

  it("always gives the same bytes for the same table, whatever the insertion order", function()
    local a, b = {}, {}
    local keys = {}
    for i = 1, 200 do keys[i] = "k" .. i end
    for i = 1, 200 do a[keys[i]] = i end
    for i = 200, 1, -1 do b[keys[i]] = i end
    local first = mast.json.encode(a)
    assert.equal(first, mast.json.encode(b))
    for _ = 1, 20 do assert.equal(first, mast.json.encode(a)) end
  end)

  describe("refuses what it cannot encode, naming where", function()
    local function usage(v, pattern)
      local e = H.raises("usage", mast.json.encode, v, "request")
      assert.matches(pattern, e.message)
    end

    it("a function", function()
      usage({ params = { ra = print } }, "request%.params%.ra: cannot encode a function")
    end)

    it("a cycle", function()
      local t = { params = {} }
      t.params.self = t
      usage(t, "cycle")
    end)

    it("NaN and infinity", function()
      usage({ radius = 0 / 0 }, "request%.radius")
      usage({ radius = math.huge }, "request%.radius")
      usage({ radius = -math.huge }, "request%.radius")
    end)

    it("mixed and sparse keys", function()
      usage({ 1, 2, x = 3 }, "request")
      usage({ [1] = 1, [3] = 3 }, "request")
    end)
  end)

  it("says where a decoding error is, with an excerpt", function()
    local e = H.raises("json", mast.json.decode, '{"status" : "COMPLETE", "data": [1, 2,, 3]}',
      "the response of Mast.Caom.Cone")
    assert.matches("the response of Mast%.Caom%.Cone is not valid JSON", e.message)
    assert.matches("byte offset 38", e.message)
    assert.equal(38, e.offset)
    assert.matches("2,, 3", e.message, 1, true)
  end)

  it("rejects nesting deeper than 1000 levels without crashing", function()
    local deep = string.rep("[", 100000) .. string.rep("]", 100000)
    local e = H.raises("json", mast.json.decode, deep)
    assert.matches("deeper than 1000", e.message)
    local ok = string.rep("[", 1000) .. string.rep("]", 1000)
    assert.is_table(mast.json.decode(ok))
  end)

  it("is the codec mast.core exposes", function()
    assert.equal(core.json_encode, mast.json.encode)
    assert.equal(core.json_decode, mast.json.decode)
  end)
end)
