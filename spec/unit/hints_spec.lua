-- mast.hints: advice is added by the layer that knows it is true.
local core = require "mast.core"
local hints = require "mast.hints"

describe("mast.hints", function()
  it("gives the exclusive-access and token advice for a 401 only in the mast family", function()
    local e = hints.add(core.error("http", "HTTP 401 Unauthorized for mast:X/y.fits", { status = 401 }), "mast")
    assert.matches("exclusive access", e.hint)
    assert.matches("MAST_API_TOKEN", e.hint)
    assert.equal("HTTP 401 Unauthorized for mast:X/y.fits (" .. e.hint .. ")", tostring(e))
    local d = hints.add(core.error("http", "HTTP 401 Unauthorized from https://example.org/f",
      { status = 401 }), "download")
    assert.is_nil(d.hint)
    assert.is_nil(tostring(d):find("exclusive", 1, true))
    assert.equal(d.message, tostring(d))
  end)

  it("gives the timeout and TLS advice to every family, from curl_code", function()
    for _, family in ipairs({ "mast", "download" }) do
      local t = hints.add(core.error("timeout", "u stalled: x", { curl_code = 28 }), family)
      assert.matches("mast.config{timeout=...}", t.hint, 1, true)
      local c = hints.add(core.error("network", "could not get u: x", { curl_code = 60 }), family)
      assert.matches("mast.config{ca_file = ...}", c.hint, 1, true)
    end
    -- a deadline is not a stall: no timeout setting to raise
    assert.is_nil(hints.add(core.error("timeout", "the deadline passed"), "mast").hint)
  end)

  it("asks about base_url for a network error of MAST's, not of another server", function()
    assert.matches("base_url", hints.add(core.error("network", "x", { curl_code = 7 }), "mast").hint)
    assert.is_nil(hints.add(core.error("network", "x", { curl_code = 7 }), "download").hint)
  end)

  it("keeps a hint already there, leaves non-mast errors alone, and checks the family", function()
    local e = core.error("timeout", "x", { curl_code = 28, hint = "mine" })
    assert.equal("mine", hints.add(e, "mast").hint)
    assert.equal("plain", hints.add("plain", "mast"))
    assert.has_error(function() hints.add(e, "ftp") end)
  end)
end)
