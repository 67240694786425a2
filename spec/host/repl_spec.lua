-- The REPL, driven through a pseudo-terminal.

local function session(steps, env) return H.pty(steps, nil, env) end

-- Steps: type a line once the prompt shows, and wait for the next prompt.
local function line(text, timeout)
  return { send = text .. "\r" }, { expect = "mast> ", timeout = timeout }
end

local function steps(...)
  local list = { { expect = "mast> " } }
  for _, s in ipairs({ ... }) do list[#list + 1] = s end
  list[#list + 1] = { close = true }
  return list
end

describe("the REPL", function()
  local hist

  before_each(function()
    H.reset()
    hist = H.tmpname()
  end)

  after_each(function()
    os.remove(hist)
  end)

  it("prints expressions without '=' and statements' results", function()
    local a1, a2 = line("1 + 1")
    local b1, b2 = line("'a' .. 'b', 3")
    local code, out = session(steps(a1, a2, b1, b2), { MAST_HISTFILE = hist })
    assert.equal(0, code)
    assert.matches("\n2\n", out)
    assert.matches("\nab\t3\n", out)
  end)

  it("continues an unfinished chunk with a second prompt", function()
    local code, out = session(steps(
      { send = "function f(x)\r" }, { expect = "mast>> " },
      { send = "return x * 2 end\r" }, { expect = "mast> " },
      line("f(21)")), { MAST_HISTFILE = hist })
    assert.equal(0, code)
    assert.matches("\n42\n", out)
  end)

  it("prints tables readably", function()
    local s1, s2 = line("{ a = 1, b = { 'x', 'y' }, c = { d = true } }")
    local _, out = session(steps(s1, s2), { MAST_HISTFILE = hist })
    assert.matches("a = 1,", out, 1, true)
    assert.matches('b = { "x", "y" },', out, 1, true)
    assert.matches("c = { d = true },", out, 1, true)
    assert.not_matches("table: 0x", out)
  end)

  it("prints a MAST result as a grid with its row count and columns", function()
    local s1, s2 = line("mast.query{service = 'Mast.Caom.Cone', "
      .. "params = {ra = 254.28746, dec = -4.09933, radius = 0.2}}")
    local _, out = session(steps(s1, s2), { MAST_HISTFILE = hist, MAST_BASE_URL = os.getenv("MAST_BASE_URL") })
    assert.matches("Mast%.Caom%.Cone: %d+ rows, %d+ columns", out)
    assert.matches("obs_collection", out)
    assert.matches("Columns: ", out)
    assert.not_matches("table: 0x", out)
  end)

  it("keeps history across sessions, but never a line with a token", function()
    local a1, a2 = line("x = 12345")
    local b1, b2 = line("mast.config{token = 'abcd-very-secret'}")
    local code = session(steps(a1, a2, b1, b2), { MAST_HISTFILE = hist })
    assert.equal(0, code)
    local saved = H.read(hist)
    assert.matches("x = 12345", saved:gsub("\\040", " "), 1, true)
    assert.not_matches("very-secret", saved, 1, true)
    assert.not_matches("token", saved, 1, true)
    -- the next session sees the saved line: Up-arrow brings it back
    local _, out = session(steps({ send = "\27[A\r" }, { expect = "mast> " },
      line("print(x)")), { MAST_HISTFILE = hist })
    assert.matches("12345\n", out)
  end)

  it("never saves a line holding the token mast is configured with", function()
    local a1, a2 = line("mast.config{token = 'qwerty-12345-zxcvb'}")
    local b1, b2 = line("secret = 'qwerty-12345-zxcvb'")
    local c1, c2 = line("kept = 1")
    local code = session(steps(a1, a2, b1, b2, c1, c2), { MAST_HISTFILE = hist })
    assert.equal(0, code)
    local saved = H.read(hist)
    assert.not_matches("qwerty", saved, 1, true)
    assert.matches("kept", saved, 1, true)
  end)

  it("never saves a line naming a secret setting's variable or holding its value", function()
    local a1, a2 = line("v = os.getenv('MAST_API_TOKEN')")
    local b1, b2 = line("pasted = 'envtok-4242-abcd'")
    local c1, c2 = line("kept = 2")
    local code = session(steps(a1, a2, b1, b2, c1, c2), { MAST_HISTFILE = hist, MAST_API_TOKEN = "envtok-4242-abcd" })
    assert.equal(0, code)
    local saved = H.read(hist)
    assert.not_matches("MAST_API_TOKEN", saved, 1, true)
    assert.not_matches("envtok", saved, 1, true)
    assert.matches("kept", saved, 1, true)
  end)

  it("interrupts a query blocked inside a transfer with Ctrl-C and returns to the prompt", function()
    H.faults { { kind = "stall", after_bytes = 0, seconds = 60, times = -1, match = { path = "/api/v0/invoke" } } }
    local s1, s2 = line("1 + 2")
    local code, out = session(steps(
      { send = "mast.query{service = 'Mast.Caom.Cone', params = {ra = 1, dec = 2, radius = 0.1}}\r" },
      { sleep = 1 }, { interrupt = true },
      { expect = "mast> ", timeout = 60 }, s1, s2),
      { MAST_HISTFILE = hist, MAST_BASE_URL = os.getenv("MAST_BASE_URL") })
    assert.equal(0, code, out)
    assert.matches("cancelled", out)
    assert.matches("\n3\n", out)
  end)

  it("interrupts a running Lua loop with Ctrl-C", function()
    local s1, s2 = line("'still here'")
    local code, out = session(steps({ send = "while true do end\r" }, { sleep = 0.5 }, { interrupt = true },
      { expect = "mast> " }, s1, s2), { MAST_HISTFILE = hist })
    assert.equal(0, code)
    assert.matches("cancelled", out)
    assert.matches("still here", out)
  end)

  it("drops the line being typed on Ctrl-C at the prompt", function()
    local s1, s2 = line("'after'")
    local code, out = session(steps({ send = "error('not run')" }, { interrupt = true },
      { expect = "mast> " }, s1, s2), { MAST_HISTFILE = hist })
    assert.equal(0, code)
    assert.matches("after", out)
    assert.not_matches("not run\n", out)
  end)
end)
