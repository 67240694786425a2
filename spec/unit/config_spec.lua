-- mast.config: every setting readable and settable, environment defaults, clear errors.
local mast = require "mast"

describe("mast.config", function()
  local saved
  before_each(function() saved = mast.config() end)
  after_each(function()
    saved.token = nil
    mast.config(saved)
    mast.config { token = false }
  end)

  it("lists every setting with its default", function()
    local c = mast.config()
    for _, k in ipairs({ "base_url", "user_agent", "hla_url", "connect_timeout", "timeout",
                         "deadline", "retries", "retry_delay", "concurrency", "progress" }) do
      assert.is_not_nil(c[k], k)
    end
    assert.equal(600, c.deadline)
    assert.equal(3, c.retries)
    assert.matches("^mast%-lua/%d+%.%d+%.%d+ libcurl/[%d.]+ Lua/5%.4$", c.user_agent)
  end)

  it("sets and reads settings back", function()
    local c = mast.config { deadline = 30, retries = 5, user_agent = "my-pipeline/1.0",
                            base_url = "http://127.0.0.1:8080/" }
    assert.equal(30, c.deadline)
    assert.equal(5, mast.config("retries"))
    assert.equal("my-pipeline/1.0", mast.config("user_agent"))
    assert.equal("http://127.0.0.1:8080", mast.config("base_url"))
  end)

  it("never reads the token back", function()
    assert.is_nil(mast.config("token"))
    mast.config { token = "abcdef123456" }
    assert.equal("<set>", mast.config("token"))
    assert.equal("<set>", mast.config().token)
    mast.config { token = false }
    assert.is_nil(mast.config("token"))
  end)

  describe("refuses", function()
    local cases = {
      { { deadlin = 3 }, "unknown setting 'deadlin'" },
      { { retries = -1 }, "retries must be a whole number from 0 to 100" },
      { { retries = 1.5 }, "retries must be a whole number" },
      { { timeout = "soon" }, "timeout must be a number, got 'soon'" },
      { { base_url = "ftp://example.org" }, "base_url must be an http:// or https:// URL" },
      { { progress = "sometimes" }, "progress must be 'auto', 'on' or 'off'" },
      { { user_agent = "a\nb" }, "must not contain line breaks" },
    }
    for _, c in ipairs(cases) do
      it(next(c[1]), function()
        local e = H.raises("usage", mast.config, c[1])
        assert.matches(c[2], e.message)
      end)
    end

    it("all of a table when one value is bad", function()
      local before = mast.config("deadline")
      H.raises("usage", mast.config, { deadline = 5, retries = "many" })
      assert.equal(before, mast.config("deadline"))
    end)

    it("an unknown name", function()
      local e = H.raises("usage", mast.config, "colour")
      assert.matches("unknown setting 'colour' %(known: base_url", e.message)
    end)
  end)

  it("takes its defaults from MAST_* environment variables", function()
    local code, out = H.mast({ "-e", "local c = mast.config() print(c.base_url, c.deadline, c.retries, c.token)" },
      nil, { MAST_BASE_URL = "http://127.0.0.1:9999", MAST_DEADLINE = "42", MAST_RETRIES = "7",
             MAST_API_TOKEN = "from-env-token" })
    assert.equal(0, code)
    assert.equal("http://127.0.0.1:9999\t42\t7\t<set>\n", out)
  end)

  it("defaults to the real MAST", function()
    local _, out = H.sh("env -u MAST_BASE_URL " .. H.quote(H.bin) .. " -e " ..
                        H.quote("print(mast.config('base_url'))"))
    assert.equal("https://mast.stsci.edu\n", out)
  end)
end)
