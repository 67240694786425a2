-- Decoding while an answer arrives (issue 16, target 3): over a slow link the
-- rows of a query's "data" array are decoded between libcurl rounds, and the
-- value is the one a decode of the whole text gives.
local mast = require "mast"
local core = require "mast.core"
local query = require "mast.query"

local GAIA = { service = "Mast.Catalogs.GaiaDR2.Cone", format = "json", pagesize = 5000, page = 1,
               params = { ra = 10, dec = 20, radius = 0.5 } }

local function invoke(opts)
  local spec = { method = "POST", url = mast.config("base_url") .. "/api/v0/invoke", body = query.encode(GAIA),
                 label = GAIA.service, decode = "json", keep_body = true }
  for k, v in pairs(opts or {}) do spec[k] = v end
  local r = core.perform({ spec })[1]
  assert.is_true(r.ok, tostring(r.error))
  return r
end

describe("a JSON answer decoded while it arrives", function()
  before_each(H.reset)

  it("over a slow link: most rows before the last byte, the same value as a whole decode", function()
    H.faults { { kind = "rate", bytes_per_second = 4 << 20, times = 1, match = { path = "/api/v0/invoke" } } }
    local r = invoke()
    local whole = core.json_decode(r.body)
    assert.equal(5000, #r.value.data)
    assert.is_true(r.early_rows > 2500, "only " .. r.early_rows .. " rows before the last byte")
    assert.is_true(H.same_value(whole, r.value))
    -- mast.query gives the same rows as the same query at full speed
    H.reset()
    H.faults { { kind = "rate", bytes_per_second = 4 << 20, times = 1, match = { path = "/api/v0/invoke" } } }
    local slow = mast.query(GAIA)
    local fast = mast.query(GAIA)
    assert.equal(#fast.data, #slow.data)
    for i = 1, #fast.data, 97 do assert.same(fast.data[i], slow.data[i]) end
  end)

  it("cut mid-body and retried: the rows decoded from the first try are not kept twice", function()
    -- the first try stops for 0.3 s after 1.5 MB (time for its rows to be
    -- decoded) and is then cut; the retry comes over a slow link
    H.faults {
      { kind = "stall", after_bytes = 1500000, seconds = 0.3, times = 1, match = { path = "/api/v0/invoke" } },
      { kind = "rate", bytes_per_second = 4 << 20, times = 1, match = { path = "/api/v0/invoke" } },
    }
    local r = invoke()
    assert.equal(2, r.attempts)
    assert.is_true(r.early_rows > 2500 and r.early_rows <= 5000, tostring(r.early_rows))
    assert.equal(5000, #r.value.data)
    assert.is_true(H.same_value(core.json_decode(r.body), r.value))
  end)

  it("an answer that goes wrong halfway gives the error a whole decode gives", function()
    local row = '{"a":1,"b":"x"}'
    local body = '{"status":"COMPLETE","data":[' .. (row .. ","):rep(20000) .. '{"a":2,"b":}]}'
    H.faults { { kind = "malformed", times = 1, body = body } }
    local spec = { method = "POST", url = mast.config("base_url") .. "/api/v0/invoke",
                   body = query.encode(GAIA), label = "X", decode = "json" }
    local r = core.perform({ spec })[1]
    assert.is_true(r.ok)
    assert.is_nil(r.value)
    local ok, want = pcall(core.json_decode, body, "the response of X")
    assert.is_false(ok)
    assert.equal(tostring(want), tostring(r.json_error))
    assert.equal(want.offset, r.json_error.offset)
  end)

  it("an answer of another shape (no data array, a bare list, an empty array) decodes as before", function()
    for _, body in ipairs { '{"status":"COMPLETE","rows":[1,2,3]}', '[{"a":1},{"a":2}]',
                            '{"status":"COMPLETE","data":[],"fields":[]}', '{"data":[1,2],"data":[3]}' } do
      H.reset()
      H.faults { { kind = "malformed", times = 1, body = body } }
      local r = invoke({ keep_body = false })
      assert.is_true(H.same_value(core.json_decode(body), r.value), body)
      assert.equal(getmetatable(core.json_decode(body).data), getmetatable(r.value.data))
    end
  end)
end)

describe("core.json_decode{cuts = ...}, the same decode fed prefixes", function()
  local docs = {
    '{"status":"COMPLETE","data":[{"a":1,"b":"x"},{"a":2,"b":null},{"a":12345,"b":"yy\\u00e9"}],'
      .. '"fields":[{"name":"a"}]}',
    '{"data":[]}', '{"data":[1,2,3]}', '{"data":[[1,"a"],[2,"b"]],"x":{"data":[5]}}',
    '\239\187\191 {"data" : [ {"q":[1,[2]]} , 7 ] }',
    '{"fields":[{"name":"data"}],"data":[{"s":"]},[{\\""}],"paging":{"rows":1}}',
    '{"data":[1,,2]}', '{"data":[1,]}', '{"data":[1 2]}', '{"data":[1,2]', '{"data":[1,2]} x', '[1,2]',
    '{"a":tru,"data":[1]}', '{"data":[1],"data":[2]}', '{"data":{"x":1}}', '{"data":[12', '', ' ',
    '{"data":[1e999]}', '{"data":[9223372036854775807,-9223372036854775808,9223372036854775808]}',
  }
  it("gives the whole decode's value, or its error, at every cut", function()
    for _, d in ipairs(docs) do
      local ok1, v1 = pcall(core.json_decode, d)
      for c = 0, #d do
        for c2 = c, #d, 3 do
          local ok2, v2 = pcall(core.json_decode, d, { cuts = { c, c2 } })
          assert.equal(ok1, ok2, d .. " cut at " .. c .. ", " .. c2)
          if ok1 then
            assert.is_true(H.same_value(v1, v2), d)
            assert.equal(getmetatable(v1), getmetatable(v2))
          else
            assert.equal(tostring(v1), tostring(v2))
          end
        end
      end
    end
  end)

  it("names a cut out of order", function()
    local e = H.raises("usage", function() core.json_decode('{"data":[]}', { cuts = { 5, 2 } }) end)
    assert.matches("cuts%[2%]", e.message)
    H.raises("usage", function() core.json_decode('{}', { cuts = {}, columnar = true }) end)
  end)
end)
