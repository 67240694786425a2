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
    if not os.getenv("MAST_CONCURRENCY") then
      assert.equal(8, c.concurrency)   -- downloads 8 at once (src/core/settings.h says why)
    end
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

  it("keeps the types of values: strings stay strings, integers integers", function()
    mast.config { user_agent = "12345", retries = 4, timeout = 2.5 }
    assert.equal("string", math.type(mast.config("user_agent")) or type(mast.config("user_agent")))
    assert.equal("12345", mast.config("user_agent"))
    assert.equal("integer", math.type(mast.config("retries")))
    assert.equal(2.5, mast.config("timeout"))
    assert.equal("number", type(mast.config().timeout))
    mast.config { user_agent = "9" }
    assert.equal("string", type(mast.config().user_agent))
  end)

  it("changes the C settings all or none in C itself", function()
    local core = require "mast.core"
    local before = mast.config("retries")
    local ok, e = pcall(core.config_set, { retries = before + 1, timeout = "soon" })
    assert.is_false(ok)
    assert.equal("usage", e.code)
    assert.equal(before, mast.config("retries"))
    -- and a bad Lua setting leaves the C ones alone
    H.raises("usage", mast.config, { retries = before + 1, progress = "sometimes" })
    assert.equal(before, mast.config("retries"))
    -- a bad C setting leaves the Lua ones alone
    local deadline = mast.config("deadline")
    H.raises("usage", mast.config, { deadline = deadline + 1, concurrency = 100 })
    assert.equal(deadline, mast.config("deadline"))
  end)

  it("keeps the settings only Lua uses in Lua, and lists them with the others", function()
    local core = require "mast.core"
    local in_c = {}
    for _, k in ipairs(core.config_keys()) do in_c[k] = true end
    local c = mast.config()
    for _, k in ipairs({ "deadline", "hla_url", "progress" }) do
      assert.is_nil(in_c[k], k .. " is not stored in C")
      assert.is_not_nil(c[k], k .. " is listed")
    end
    mast.config { progress = true, hla_url = "http://127.0.0.1:1/" }
    assert.equal("on", mast.config("progress"))
    assert.equal("http://127.0.0.1:1", mast.config("hla_url"))
    local e = H.raises("usage", mast.config, { hla_url = "ftp://x" })
    assert.matches("hla_url must be an http:// or https:// URL", e.message)
  end)

  it("names the Lua settings too when a name is unknown", function()
    local e = H.raises("usage", mast.config, { colour = 1 })
    assert.matches("known: base_url.*deadline.*progress", e.message)
  end)

  it("describes every setting from the one table, with the bounds C checks", function()
    local core = require "mast.core"
    local by = {}
    for _, s in ipairs(core.settings()) do by[s.name] = s end
    assert.same({ 1, 64 }, { by.concurrency.min, by.concurrency.max })
    assert.equal("integer", by.concurrency.type)
    assert.is_true(by.token.secret)
    assert.equal("host", by.base_url.owner)
    local V = require("mast.options").validators
    assert.is_nil(V.concurrency(64))
    assert.matches("from 1 to 64", V.concurrency(65))
    assert.matches("from 1 to 64", V.concurrency(0))
  end)

  it("is documented in README's table exactly as the settings table defines it", function()
    local documented = {}
    local readme = H.read(H.root .. "/README.md")
    local section = readme:match("\n## Configuration\n(.-)\n## ")
    for names, envs in section:gmatch("\n| (`[^|]+`) | (`[^|]+`) |") do
      local list_n, list_e = {}, {}
      for n in names:gmatch("`([%w_]+)`") do list_n[#list_n + 1] = n end
      for e in envs:gmatch("`([%w_]+)`") do list_e[#list_e + 1] = e end
      for i, n in ipairs(list_n) do documented[n] = list_e[i] end
    end
    local defined = {}
    for _, s in ipairs(require("mast.config").settings()) do defined[s.name] = s.env end
    assert.same(defined, documented)
  end)

  it("takes the Lua settings from the environment too, unless told not to (-E)", function()
    local env = { MAST_DEADLINE = "42", MAST_HLA_URL = "http://127.0.0.1:7/", MAST_PROGRESS = "off",
                  MAST_RETRIES = "7" }
    local script = "local c = mast.config() print(c.deadline, c.hla_url, c.progress, c.retries)"
    local code, out = H.mast({ "-e", script }, nil, env)
    assert.equal(0, code)
    assert.equal("42\thttp://127.0.0.1:7\toff\t7\n", out)
    code, out = H.mast({ "-E", "-e", script }, nil, env)
    assert.equal(0, code)
    assert.equal("600\thttps://hla.stsci.edu\tauto\t3\n", out)
    local _, _, err = H.mast({ "-e", "print(mast.config('progress'))" }, nil, { MAST_PROGRESS = "loud" })
    assert.matches("environment variable MAST_PROGRESS: progress must be 'auto', 'on' or 'off'", err)
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
