-- mast.login / mast.session_info against the sandbox's /whoami, and what a 401 says.
local mast = require "mast"
local core = require "mast.core"

describe("mast.login", function()
  before_each(H.reset)

  it("checks a token MAST accepts and keeps it: user and scopes", function()
    local info = mast.login("sandbox-token")
    assert.equal("sandbox-user", info.user)
    assert.equal("Sandbox User", info.name)
    assert.is_false(info.anonymous)
    assert.is_true(info.exclusive_access)
    assert.same({ "mast:user:info", "mast:exclusive_access" }, info.scopes)
    assert.equal("<set>", core.config("token"))
    local asked = H.requests()[1]
    assert.equal("/whoami", asked.path)
    assert.equal("token sandbox-token", asked.headers["authorization"])
    assert.equal("sandbox-user", mast.session_info().user)
  end)

  it("says a token MAST does not accept was not accepted, and does not keep it", function()
    local e = H.raises("mast", mast.login, "not-a-valid-token")
    assert.matches("the token given was not accepted by MAST", e.message, 1, true)
    assert.is_true(e.anonymous)
    assert.is_nil(core.config("token"))
    assert.is_true(mast.session_info().anonymous)
    H.raises("usage", mast.login)            -- no token anywhere
    H.raises("usage", mast.login, "two words")
  end)

  it("a 401 with a token configured says the token lacks access, not 'supply a token'", function()
    local uri = "mast:SANDBOX/eap/1000/eap_file.fits"
    local dir = H.tmpdir()
    local without = H.raises("http", mast.download, uri, dir .. "/a.fits")
    assert.matches("export MAST_API_TOKEN", tostring(without), 1, true)
    core.config("token", "some-other-token")
    local with = H.raises("http", mast.download, uri, dir .. "/a.fits")
    assert.matches("a MAST token is configured, but it does not give access", tostring(with), 1, true)
    assert.is_nil(tostring(with):find("export MAST_API_TOKEN", 1, true))
    os.execute("rm -rf " .. H.quote(dir))
  end)
end)
