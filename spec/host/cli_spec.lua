-- The mast program's command line: compatible with lua's.
describe("the mast program", function()
  local script

  before_each(function()
    script = H.tmpname() .. ".lua"
  end)

  after_each(function()
    os.remove(script)
  end)

  it("runs a script with its arguments in arg and ...", function()
    H.write(script, 'print(arg[0], arg[1], arg[2], #arg, select("#", ...), ...)')
    local code, out = H.mast({ script, "one", "two" })
    assert.equal(0, code)
    assert.equal(script .. "\tone\ttwo\t2\t2\tone\ttwo\n", out)
  end)

  it("gives arg negative indices for the interpreter and options", function()
    H.write(script, 'print(arg[-1], arg[-2] ~= nil)')
    local code, out = H.mast({ "-e", "x=1", script })
    assert.equal(0, code)
    assert.equal("x=1\ttrue\n", out)
  end)

  it("runs -e statements in order before the script", function()
    H.write(script, "print(x + y)")
    local code, out = H.mast({ "-e", "x = 40", "-e", "y = 2", script })
    assert.equal(0, code)
    assert.equal("42\n", out)
  end)

  it("requires a library into a global with -l, also as g=mod", function()
    local code, out = H.mast({ "-l", "mast", "-l", "P=mast.pretty", "-e",
                               "print(mast._NAME, type(P.grid), P == require 'mast.pretty')" })
    assert.equal(0, code)
    assert.equal("mast\tfunction\ttrue\n", out)
  end)

  it("enters the REPL after the script and -e with -i", function()
    H.write(script, "y = 2")
    local code, out = H.mast({ "-i", "-e", "x = 21", script }, "x * y\n")
    assert.equal(0, code)
    assert.matches("^mast %d+%.%d+%.%d+ %(Lua 5%.4[^\n]*\nmast> 42\nmast> \n$", out)
  end)

  it("prints its version with -v", function()
    local code, out = H.mast({ "-v" })
    assert.equal(0, code)
    assert.matches("^mast %d+%.%d+%.%d+ %(Lua 5%.4", out)
  end)

  it("explains itself with -h and --help", function()
    for _, flag in ipairs({ "-h", "--help" }) do
      local code, out = H.mast({ flag })
      assert.equal(0, code)
      assert.matches("usage: mast %[options%] %[script %[args%]%]", out)
      assert.matches("%-e stat", out)
    end
  end)

  it("rejects an unknown option with usage on stderr and status 1", function()
    local code, out, err = H.mast({ "-x" })
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("unrecognized option '%-x'", err)
    assert.matches("usage:", err)
  end)

  it("reads the script from stdin with -", function()
    local code, out = H.mast({ "-", "a" }, 'print("from stdin", ...)')
    assert.equal(0, code)
    assert.equal("from stdin\ta\n", out)
  end)

  it("runs stdin as a script when it is not a terminal", function()
    local code, out = H.mast({}, "print(6 * 7)")
    assert.equal(0, code)
    assert.equal("42\n", out)
  end)

  it("stops handling options at --", function()
    H.write(script, "print(...)")
    local code, out = H.mast({ "--", script, "-e" })
    assert.equal(0, code)
    assert.equal("-e\n", out)
  end)

  it("reports an error as 'mast: <message>' with a traceback and exits 1", function()
    H.write(script, 'local function f() error("boom") end\nf()')
    local code, out, err = H.mast({ script })
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("^mast: [^\n]*:1: boom\nstack traceback:\n", err)
    assert.matches("in local 'f'", err)
  end)

  it("prints a mast error object's message, not a table address", function()
    local code, _, err = H.mast({ "-e", "mast.query(42)" })
    assert.equal(1, code)
    assert.matches("^mast: mast%.query: the request must be a table", err)
    assert.not_matches("table: 0x", err)
  end)

  it("ignores MAST_INIT with -E and runs it otherwise", function()
    local _, out = H.mast({ "-e", "print(X)" }, nil, { MAST_INIT = "X = 'init ran'" })
    assert.equal("init ran\n", out)
    local _, out2 = H.mast({ "-E", "-e", "print(X)" }, nil, { MAST_INIT = "X = 'init ran'" })
    assert.equal("nil\n", out2)
  end)

  it("ignores MAST_* settings with -E", function()
    local _, out = H.mast({ "-E", "-e", "print(mast.config('base_url'))" }, nil,
                          { MAST_BASE_URL = "http://127.0.0.1:9" })
    assert.equal("https://mast.stsci.edu\n", out)
    local _, out2 = H.mast({ "-e", "print(mast.config('base_url'))" }, nil,
                           { MAST_BASE_URL = "http://127.0.0.1:9" })
    assert.equal("http://127.0.0.1:9\n", out2)
  end)

  it("rejects a bad MAST_* setting clearly", function()
    local code, _, err = H.mast({ "-e", "require 'mast'" }, nil, { MAST_TIMEOUT = "soon" })
    assert.equal(1, code)
    assert.matches("environment variable MAST_TIMEOUT: timeout must be a number, got 'soon'", err)
  end)

  it("works from any directory, with no LUA_PATH", function()
    local code, out = H.sh("cd / && env -u LUA_PATH -u LUA_PATH_5_4 -u LUA_CPATH " .. H.quote(H.bin)
      .. " -e " .. H.quote("print(require('mast')._VERSION)"))
    assert.equal(0, code)
    assert.matches("^%d+%.%d+%.%d+\n$", out)
  end)

  it("loads the source tree's Lua modules in the build tree (no rebuild needed)", function()
    local _, out = H.mast({ "-e", "print(debug.getinfo(require('mast.query').query, 'S').source)" })
    assert.matches("^@.*/lua/mast/query%.lua\n$", out)
  end)

  it("starts without loading libcurl until mast is used", function()
    local _, out = H.mast({ "-e", "print(package.loaded['mast.core'] == nil)" })
    assert.equal("true\n", out)
    local _, out2 = H.mast({ "-e", "local v = mast._VERSION; print(package.loaded['mast.core'] ~= nil)" })
    assert.equal("true\n", out2)
  end)
end)
