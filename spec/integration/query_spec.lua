-- mast.query against the local MAST sandbox.
local mast = require "mast"
local core = require "mast.core"
local query = require "mast.query"

local CONE = { service = "Mast.Caom.Cone", params = { ra = 254.28746, dec = -4.09933, radius = 0.2 },
               format = "json", pagesize = 10, page = 1 }

local function unescape(s)
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

describe("mast.query", function()
  before_each(H.reset)

  describe("sends", function()
    it("a form POST of request=<url-encoded JSON> to <base>/api/v0/invoke", function()
      local r = mast.query(CONE)
      assert.equal("COMPLETE", r.status)
      local log = H.requests()
      assert.equal(1, #log)
      local q = log[1]
      assert.equal("POST", q.method)
      assert.equal("/api/v0/invoke", q.path)
      assert.equal("application/x-www-form-urlencoded", q.headers["content-type"])
      assert.equal(query.encode(CONE), q.body)
      assert.equal("request=", q.body:sub(1, 8))
      -- the JSON inside is the request, exactly
      local sent = mast.json.decode(unescape(q.body:sub(9)))
      assert.same(CONE, sent)
      -- encoded as Python's urllib quote does: '/' kept, everything else escaped
      assert.not_matches("[{}\":, ]", q.body:sub(9))
    end)

    it("format json when the request does not say", function()
      local r = mast.query({ service = "Mast.Caom.Cone", params = { ra = 10, dec = 10, radius = 0.1 } })
      assert.equal("COMPLETE", r.status)
      assert.equal("json", H.invokes()[1].request.format)
    end)

    it("to the base URL mast.config sets", function()
      local base = mast.config("base_url")
      mast.config { base_url = "http://127.0.0.1:1" }   -- nothing listens there
      mast.config { retries = 0 }
      local e = H.raises("network", mast.query, CONE)
      assert.matches("127%.0%.0%.1:1/api/v0/invoke", e.message)
      assert.matches("^Mast%.Caom%.Cone: ", tostring(e))
      mast.config { base_url = base .. "/" }   -- a trailing slash is dropped
      assert.equal(base, mast.config("base_url"))
      assert.equal("COMPLETE", mast.query(CONE).status)
    end)

    it("a user agent naming mast, libcurl and Lua", function()
      mast.query(CONE)
      assert.matches("^mast%-lua/%d+%.%d+%.%d+ libcurl/[%d.]+ Lua/5%.4$", H.requests()[1].headers["user-agent"])
    end)
  end)

  describe("polls while MAST is EXECUTING", function()
    it("resending the identical bytes until COMPLETE", function()
      H.faults { { kind = "executing", count = 3, match = { service = "Mast.Caom.Cone" } } }
      local r = mast.query(CONE)
      assert.equal("COMPLETE", r.status)
      local log = H.invokes()
      assert.equal(4, #log)
      for i = 2, 4 do assert.equal(log[1].body, log[i].body) end
    end)

    it("until the deadline, then raises a timeout error", function()
      H.faults { { kind = "executing", count = 1000, times = -1 } }
      local e = H.raises("timeout", mast.query, CONE, { deadline = 1 })
      assert.matches("^Mast%.Caom%.Cone: still EXECUTING when the 1 s deadline passed", tostring(e))
      assert.matches("deadline", e.message)
      assert.equal("Mast.Caom.Cone", e.service)
    end)

    it("under the configured deadline", function()
      H.faults { { kind = "executing", count = 1000, times = -1 } }
      mast.config { deadline = 0.8 }
      H.raises("timeout", mast.query, CONE)
    end)
  end)

  describe("raises", function()
    it("a mast error with the service and MAST's msg for status ERROR", function()
      local e = H.raises("mast", mast.query, { service = "Mast.Catalogs.Filtered.Tic", format = "json",
        params = { columns = "c.*", filters = {} } })
      assert.equal("Mast.Catalogs.Filtered.Tic", e.service)
      assert.matches("The column prefix 'c' does not match", e.message)
      assert.matches("^MAST reported an error: ", e.message)
      assert.matches("The column prefix", e.msg)
      assert.equal("Mast.Catalogs.Filtered.Tic: " .. e.message, tostring(e))
    end)

    it("an http error at once for a status that retrying cannot fix", function()
      H.faults { { kind = "status", status = 404, body = "no such page here", times = -1 } }
      local e = H.raises("http", mast.query, CONE)
      assert.equal(404, e.status)
      assert.matches("HTTP 404 Not Found from https?://127%.0%.0%.1:%d+/api/v0/invoke: no such page here", e.message)
      assert.equal(1, #H.invokes())
    end)

    it("an error value that pcall catches and tostring shows", function()
      local ok, e = pcall(mast.query, { service = "Mast.No.Such.Service", format = "json", params = {} })
      assert.is_false(ok)
      assert.is_true(mast.is_error(e))
      assert.is_true(mast.is_error(e, "mast"))
      assert.is_false(mast.is_error(e, "http"))
      assert.equal("string", type(tostring(e)))
      assert.equal("Mast.No.Such.Service: " .. e.message, tostring(e))
    end)
  end)

  describe("retries", function()
    it("503 twice, then succeeds", function()
      H.faults { { kind = "status", status = 503, times = 2 } }
      assert.equal("COMPLETE", mast.query(CONE).status)
      assert.equal(3, #H.invokes())
    end)

    it("each of 429, 500, 502 and 504", function()
      for _, s in ipairs({ 429, 500, 502, 504 }) do
        H.reset()
        H.faults { { kind = "status", status = s, times = 1 } }
        assert.equal("COMPLETE", mast.query(CONE).status)
        assert.equal(2, #H.invokes())
      end
    end)

    it("3 times by default, then raises the last failure", function()
      H.faults { { kind = "status", status = 503, times = -1 } }
      local e = H.raises("http", mast.query, CONE)
      assert.equal(503, e.status)
      assert.equal(4, e.attempts)
      assert.matches("gave up after 4 attempts", e.message)
      assert.equal(4, #H.invokes())
    end)

    it("as often as the retries setting says", function()
      mast.config { retries = 1 }
      H.faults { { kind = "status", status = 503, times = -1 } }
      H.raises("http", mast.query, CONE)
      assert.equal(2, #H.invokes())
    end)

    it("honouring Retry-After (a wait past the deadline is not attempted)", function()
      H.faults { { kind = "status", status = 503, retry_after = "120", times = -1 } }
      local t0 = core.now()
      local e = H.raises("http", mast.query, CONE, { deadline = 30 })
      assert.matches("no time left before the deadline", e.message)
      assert.is_true(core.now() - t0 < 30)
      assert.equal(1, #H.invokes())
    end)

    it("a dropped connection", function()
      H.faults { { kind = "drop", times = 1 } }
      assert.equal("COMPLETE", mast.query(CONE).status)
      assert.equal(2, #H.invokes())
    end)

    it("a connection dropped in the middle of the body", function()
      H.faults { { kind = "drop", after_bytes = 100, times = 1 } }
      assert.equal("COMPLETE", mast.query(CONE).status)
    end)
  end)

  it("gives up on a stalled connection after the timeout setting", function()
    mast.config { timeout = 1, retries = 0 }
    H.faults { { kind = "stall", after_bytes = 10, seconds = 20, times = 1 } }
    local e = H.raises("timeout", mast.query, CONE)
    assert.matches("stalled", e.message)
  end)

  it("raises a json error for a malformed body, naming the service", function()
    H.faults { { kind = "malformed", times = 1 } }
    local e = H.raises("json", mast.query, CONE)
    assert.matches("the response of Mast%.Caom%.Cone is not valid JSON", e.message)
    assert.matches("byte offset", e.message)
  end)

  it("returns csv and votable answers as text", function()
    local csv = mast.query({ service = "Mast.Caom.Cone", params = CONE.params, format = "csv" })
    assert.equal("string", type(csv))
    assert.matches("^[%w_]+,[%w_]+", csv)
    local vot = mast.query({ service = "Mast.Caom.Cone", params = CONE.params, format = "votable" })
    assert.equal("string", type(vot))
    assert.matches("<VOTABLE", vot)
  end)

  describe("with a token", function()
    it("sends Authorization: token <T> to the base host", function()
      mast.config { token = "sandbox-token" }
      mast.query(CONE)
      assert.equal("token sandbox-token", H.requests()[1].headers["authorization"])
    end)

    it("sends nothing without one", function()
      mast.query(CONE)
      assert.is_nil(H.requests()[1].headers["authorization"])
    end)

    it("never to another host", function()
      mast.config { token = "sandbox-token" }
      local alt = os.getenv("MAST_SANDBOX_ALT_URL")
      core.request({ url = alt .. "/stpubdata/hello.txt", any_status = true })
      local log = H.requests()
      assert.equal("alt", log[#log].listener)
      assert.is_nil(log[#log].headers["authorization"])
    end)

    it("never shows it in an error message", function()
      local token = "sekrit-token-0123456789"
      mast.config { token = token }
      H.faults { { kind = "status", status = 400, body = "bad token " .. token .. " given", times = 1 } }
      local e = H.raises("http", mast.query, CONE)
      assert.not_matches(token, e.message, 1, true)
      assert.matches("<token>", e.message, 1, true)
      assert.equal("<set>", mast.config("token"))
      assert.not_matches(token, mast.json.encode(mast.config()), 1, true)
    end)
  end)

  it("reuses its connection for consecutive queries", function()
    mast.query(CONE)
    mast.query(CONE)
    mast.query({ service = "Mast.Caom.Cone", params = { ra = 1, dec = 2, radius = 0.1 } })
    local log = H.invokes()
    assert.equal(3, #log)
    assert.equal(log[1].conn, log[2].conn)
    assert.equal(log[1].conn, log[3].conn)
  end)

  describe("refuses bad input with a usage error, sending nothing", function()
    local cases = {
      { "a number", function() return mast.query(42) end, "the request must be a table" },
      { "no service", function() return mast.query({ params = {} }) end, "has no service" },
      { "a misspelt key", function() return mast.query({ service = "S", pagesise = 3 }) end,
        "unknown request key 'pagesise' %(did you mean 'pagesize'%?%)" },
      { "a function", function() return mast.query({ service = "S", params = { ra = print } }) end,
        "request%.params%.ra: cannot encode a function" },
      { "a cycle", function()
          local p = {}
          p.me = p
          return mast.query({ service = "S", params = p })
        end, "cycle" },
      { "NaN", function() return mast.query({ service = "S", params = { ra = 0 / 0 } }) end, "request%.params%.ra" },
      { "infinity", function() return mast.query({ service = "S", params = { radius = math.huge } }) end,
        "request%.params%.radius" },
      { "a bad format", function() return mast.query({ service = "S", format = "xlsx" }) end,
        "format must be json, csv, votable or extjs" },
      { "an unknown option", function() return mast.query(CONE, { dedline = 3 }) end, "unknown option 'dedline'" },
    }
    for _, c in ipairs(cases) do
      it(c[1], function()
        local e = H.raises("usage", c[2])
        assert.matches(c[3], e.message)
        assert.equal(0, #H.requests())
      end)
    end
  end)

  it("keeps 64-bit ids exact in a real answer", function()
    local r = mast.query({ service = "Mast.Catalogs.GaiaDR2.Cone", format = "json",
                           params = { ra = 254.287, dec = -4.09933, radius = 0.05 } })
    assert.is_true(#r.data > 0)
    local big = 0
    for _, row in ipairs(r.data) do
      assert.equal("integer", math.type(row.source_id))
      if row.source_id > 2^53 then big = big + 1 end
    end
    assert.is_true(big > 0, "expected some source_id above 2^53")
    -- the digits on the wire are the digits in Lua
    local raw = core.request({ method = "POST", url = mast.config("base_url") .. "/api/v0/invoke",
      body = query.encode({ service = "Mast.Catalogs.GaiaDR2.Cone", format = "json",
                            params = { ra = 254.287, dec = -4.09933, radius = 0.05 } }) }).body
    for _, row in ipairs(r.data) do
      assert.truthy(raw:find('"source_id":' .. tostring(row.source_id), 1, true))
    end
  end)
end)

describe("mast.votable", function()
  before_each(H.reset)

  it("turns a votable query's text into the same rows as the json query", function()
    local params = { ra = 254.28746, dec = -4.09933, radius = 0.2 }
    local text = mast.query({ service = "Mast.Caom.Cone", params = params, format = "votable" })
    local json = mast.query({ service = "Mast.Caom.Cone", params = params })
    local v = mast.votable(text, "Mast.Caom.Cone")
    assert.equal(#json.data, #v.data)
    assert.equal(json.data[1].obs_id, v.data[1].obs_id)
    assert.matches("Mast.Caom.Cone", tostring(v))
  end)
end)
