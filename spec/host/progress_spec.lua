-- What mast shows while it works: on a terminal only, on stderr.
local core = require "mast.core"

local function in_pty(code, env)
  local steps = H.tmpname()
  H.write(steps, core.json_encode({ { expect = "DONE", timeout = 60 } }))
  local script = H.tmpname() .. ".lua"
  H.write(script, code .. "\nio.stderr:write('\\n') print('DONE')\n")
  local vars = {}
  for k, v in pairs(env or {}) do vars[#vars + 1] = k .. "=" .. H.quote(v) end
  local rc, out = H.sh(table.concat(vars, " ") .. " python3 " .. H.quote(H.root .. "/spec/tools/pty_session.py")
    .. " " .. H.quote(steps) .. " -- " .. H.quote(H.bin) .. " " .. H.quote(script))
  os.remove(steps)
  os.remove(script)
  return rc, out
end

describe("progress", function()
  local dir
  local env

  before_each(function()
    H.reset()
    dir = H.tmpdir()
    env = { MAST_BASE_URL = os.getenv("MAST_BASE_URL"), MAST_PROGRESS = "auto" }
  end)

  after_each(function()
    os.execute("rm -rf " .. H.quote(dir))
  end)

  local download = "mast.download('mast:SANDBOX/size/400000000/big.fits', %q)"

  it("of a download shows bytes, rate and ETA on a terminal", function()
    local _, out = in_pty("mast.config{retries = 0}\n" .. download:format(dir .. "/big.fits"), env)
    assert.matches("big%.fits  [%d.]+ [KMG]B of 400%.0 MB  [%d.]+ [KMG]B/s  ETA %d+:%d%d", out)
  end)

  it("of a download shows nothing when stderr is not a terminal", function()
    local script = H.tmpname() .. ".lua"
    H.write(script, download:format(dir .. "/big.fits"))
    local code, out, err = H.mast({ script }, nil, env)
    os.remove(script)
    assert.equal(0, code, err)
    assert.equal("", out)
    assert.equal("", err)
  end)

  it("of a query MAST is still EXECUTING shows the wait and the percent complete", function()
    H.faults { { kind = "executing", count = 4, match = { service = "Mast.Caom.Cone" } } }
    local _, out = in_pty("mast.query{service = 'Mast.Caom.Cone', params = {ra = 1, dec = 2, radius = 0.1}}", env)
    assert.matches("Mast%.Caom%.Cone: MAST is working on it %(EXECUTING, %d+%% complete", out)
  end)

  it("can be turned off", function()
    H.faults { { kind = "executing", count = 3, match = { service = "Mast.Caom.Cone" } } }
    env.MAST_PROGRESS = "off"
    local _, out = in_pty("mast.query{service = 'Mast.Caom.Cone', params = {ra = 1, dec = 2, radius = 0.1}}", env)
    assert.not_matches("EXECUTING", out)
  end)
end)
