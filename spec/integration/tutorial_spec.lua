-- docs/tutorial.md is true: every Lua snippet in it runs against the sandbox,
-- in order, as one session, in a fresh directory, and prints exactly what the
-- tutorial shows under it (spec/tools/run-tutorial.lua; scripts/gen-tutorial
-- regenerates the printed parts after a deliberate change).
local function interpreter()
  if package.preload["mast"] then return H.quote(H.bin) end   -- the mast host embeds its modules
  local build = os.getenv("MAST_BUILD_DIR") or (H.root .. "/build")
  return ("MAST_SOURCE_DIR=%s MAST_BUILD_DIR=%s %s"):format(H.quote(H.root), H.quote(build),
    H.quote(H.root .. "/spec/tools/stock-lua"))
end

describe("docs/tutorial.md", function()
  it("runs, and every snippet prints what the tutorial shows", function()
    H.reset()
    local dir = H.tmpdir()
    local code, out, err = H.sh(("cd %s && MAST_PROGRESS=off COLUMNS=110 %s %s %s"):format(H.quote(dir),
      interpreter(), H.quote(H.root .. "/spec/tools/run-tutorial.lua"), H.quote(H.root .. "/docs/tutorial.md")))
    assert.are.equal(0, code, out .. err)
    -- and what it downloads, draws and writes is on disk
    local function head(name, n)
      local f = io.open(dir .. "/" .. name, "rb")
      if not f then return nil end
      local s = f:read(n)
      f:close()
      return s
    end
    local fits, frame, lc = head("m101/la4sv4c0q_drz.fits", 6), head("frame.png", 8), head("lightcurve.png", 8)
    local written = head("lightcurve.fits", 6)
    os.execute("rm -rf " .. H.quote(dir))
    assert.are.equal(6, fits and #fits)   -- (the sandbox's products are synthetic bytes, not FITS)
    assert.are.equal("\137PNG\r\n\26\n", frame)
    assert.are.equal("\137PNG\r\n\26\n", lc)
    assert.are.equal("SIMPLE", written)
  end)

  it("the checker notices a snippet that prints something else", function()
    local md = H.tmpname() .. ".md"
    H.write(md, "# t\n\n```lua\nprint(1 + 1)\n```\n```output\n3\n```\n")
    local code, _, err = H.sh(("%s %s %s"):format(interpreter(),
      H.quote(H.root .. "/spec/tools/run-tutorial.lua"), H.quote(md)))
    os.remove(md)
    assert.are_not.equal(0, code)
    assert.matches("printed something else", err)
  end)
end)
