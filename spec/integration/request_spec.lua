-- core.perform/core.request: what a request can say (headers, auth, a sink)
-- and the facts its errors carry (curl_code, status, url).
local mast = require "mast"
local core = require "mast.core"

local FILE = "/api/v0.1/Download/file?uri="
local function file_url(uri) return core.config("base_url") .. FILE .. uri end

describe("core requests", function()
  before_each(function() H.reset() end)

  describe("headers", function()
    it("sends a list of lines and a table of names, as given", function()
      core.request { url = core.config("base_url") .. "/whoami", headers = { "X-One: 1", "X-Two: two" } }
      core.request { url = core.config("base_url") .. "/whoami", headers = { ["X-Three"] = "3" } }
      local log = H.requests()
      assert.equal("1", log[1].headers["x-one"])
      assert.equal("two", log[1].headers["x-two"])
      assert.equal("3", log[2].headers["x-three"])
    end)

    it("refuses a line break or an Authorization header, naming it, and sends nothing", function()
      local url = core.config("base_url") .. "/whoami"
      local e = H.raises("usage", core.request, { url = url, headers = { "X-Split: a\r\nX-Evil: 1" } })
      assert.matches("'X-Split'", e.message, 1, true)
      assert.matches("line break", e.message, 1, true)
      e = H.raises("usage", core.request, { url = url, headers = { Authorization = "Bearer nope" } })
      assert.matches("'Authorization'", e.message, 1, true)
      assert.is_nil(e.message:find("nope", 1, true))
      H.raises("usage", core.request, { url = url, headers = "X-A: b" })
      H.raises("usage", core.request, { url = url, headers = { "X-A: b", 42 } })
      assert.equal(0, #H.requests())
    end)
  end)

  describe("auth", function()
    it("is the MAST token to MAST by default, and none with auth = \"none\"", function()
      mast.config { token = "sandbox-token" }
      local url = core.config("base_url") .. "/whoami"
      core.request { url = url }
      core.request { url = url, auth = "mast" }
      core.request { url = url, auth = "none" }
      local log = H.requests()
      assert.equal("token sandbox-token", log[1].headers["authorization"])
      assert.equal("token sandbox-token", log[2].headers["authorization"])
      assert.is_nil(log[3].headers["authorization"])
    end)

    it("asks the host's credential provider; without one it is a usage error", function()
      local url = core.config("base_url") .. "/whoami"
      local e = H.raises("usage", core.request, { url = url, auth = { credential = "s3" } })
      assert.matches("provider", e.message, 1, true)
      H.raises("usage", core.request, { url = url, auth = "bearer" })
      H.raises("usage", core.request, { url = url, auth = {} })
      assert.equal(0, #H.requests())
    end)
  end)

  describe("a sink", function()
    local function reference(url) return core.request({ url = url }).body end

    it("gets the body in pieces, and the result holds none of it", function()
      local url = file_url("mast:SANDBOX/size/2000000/sink.fits")
      local want = reference(url)
      local parts = {}
      local r = core.request { url = url, sink = function(chunk) parts[#parts + 1] = chunk end }
      assert.is_nil(r.body)
      assert.equal(2000000, r.bytes)
      assert.is_true(#parts > 1)
      assert.equal(want, table.concat(parts))
    end)

    it("is told with nil that the body starts again before a retry", function()
      local url = file_url("mast:SANDBOX/size/2000000/again.fits")
      local want = reference(url)
      H.faults { { kind = "drop", after_bytes = 500000, times = 1, match = { uri = "again.fits" } } }
      local parts, restarts = {}, 0
      local r = core.request { url = url, sink = function(chunk)
        if chunk == nil then parts, restarts = {}, restarts + 1 else parts[#parts + 1] = chunk end
      end }
      assert.equal(2, r.attempts)
      assert.equal(1, restarts)
      assert.equal(want, table.concat(parts))
    end)

    it("that raises fails its item with code callback and the Lua error's text", function()
      local url = file_url("mast:SANDBOX/size/300000/boom.fits")
      local results = core.perform {
        { url = url, label = "boom", sink = function() error("the parser choked") end },
        { url = url, sink = function() end },
      }
      assert.is_false(results[1].ok)
      local e = results[1].error
      assert.equal("callback", e.code)
      assert.matches("the parser choked", e.message, 1, true)
      assert.matches("^boom: the sink raised an error", e.message)
      assert.matches("the parser choked", tostring(e.cause), 1, true)
      assert.is_true(results[2].ok)
      assert.equal(300000, results[2].bytes)
      e = H.raises("callback", core.request, { url = url, sink = function() error({ mine = true }) end })
      assert.is_true(e.cause.mine)
    end)

    it("that returns false stops its transfer", function()
      local calls = 0
      local url = file_url("mast:SANDBOX/size/2000000/stop.fits")
      local e = H.raises("callback", core.request, { url = url, sink = function()
        calls = calls + 1
        return false
      end })
      assert.equal(1, calls)
      assert.matches("chunk callback", e.message, 1, true)
    end)

    it("must be a function, and is not given with a dest", function()
      local url = file_url("mast:SANDBOX/size/10/x.fits")
      H.raises("usage", core.request, { url = url, sink = "file" })
      H.raises("usage", core.request, { url = url, dest = os.tmpname() .. ".never", sink = function() end })
    end)
  end)

  describe("errors carry facts", function()
    it("status, url and curl_code", function()
      local e = H.raises("http", core.request, { url = file_url("mast:SANDBOX/missing/f.fits") })
      assert.equal(404, e.status)
      assert.matches("/api/v0.1/Download/file", e.url, 1, true)
      assert.is_nil(e.curl_code)
      mast.config { timeout = 1, retries = 0 }
      H.faults { { kind = "stall", after_bytes = 10, seconds = 15, match = { uri = "slow.fits" } } }
      e = H.raises("timeout", core.request, { url = file_url("mast:SANDBOX/size/100/slow.fits") })
      assert.equal(28, e.curl_code)   -- CURLE_OPERATION_TIMEDOUT
      assert.is_nil(e.message:find("mast.config", 1, true))   -- advice is not the core's
      assert.is_nil(e.hint)
    end)

    it("refuses what is not http or https", function()
      for _, url in ipairs({ "file:///etc/passwd", "ftp://127.0.0.1/x" }) do
        local e = H.raises("usage", core.request, { url = url })
        assert.equal(1, e.curl_code)   -- CURLE_UNSUPPORTED_PROTOCOL
      end
    end)

    it("a 401 from a URL that is not MAST's does not claim exclusive access", function()
      local alt = assert(os.getenv("MAST_SANDBOX_ALT_URL"))
      H.faults { { kind = "status", status = 401, body = "who are you?", match = { listener = "alt" } } }
      local dir = H.tmpdir()
      local e = H.raises("http", mast.download, alt .. "/stpubdata/sandbox/redirect/100/other.fits",
        dir .. "/other.fits")
      os.execute("rm -rf " .. H.quote(dir))
      assert.equal(401, e.status)
      assert.is_nil(tostring(e):find("exclusive", 1, true))
      assert.is_nil(tostring(e):find("MAST_API_TOKEN", 1, true))
      assert.is_nil(e.hint)
    end)

    it("a stalled download gets the timeout advice from mast.download, not from C", function()
      mast.config { timeout = 1, retries = 0 }
      H.faults { { kind = "stall", after_bytes = 10, seconds = 15, match = { uri = "slow2.fits" } } }
      local dir = H.tmpdir()
      local e = H.raises("timeout", mast.download, "mast:SANDBOX/size/100/slow2.fits", dir .. "/s.fits")
      os.execute("rm -rf " .. H.quote(dir))
      assert.is_nil(e.message:find("mast.config", 1, true))
      assert.matches("raise mast.config{timeout=...} for a slow server", tostring(e), 1, true)
    end)
  end)
end)
