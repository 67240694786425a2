-- Two processes downloading the same product to the same path: the .part is locked while
-- written, so the second fails at once ("in progress elsewhere") and the file is written
-- once, correctly; a killed process's .part never blocks the next run, which resumes it.
local mast = require "mast"
local core = require "mast.core"

describe("downloads to one path from two processes", function()
  local dir
  H.dir_each(function(d) dir = d end)

  local function reference(uri) return H.fresh_copy(uri, dir) end

  -- Starts `mast -e code` in the background; returns its pid.
  local function spawn(code)
    local pidfile = dir .. "/pid"
    os.execute(("MAST_TIMEOUT=60 MAST_RETRY_DELAY=0.1 %s -e %s >%s 2>&1 </dev/null & echo $! >%s")
      :format(H.quote(H.bin), H.quote(code), H.quote(dir .. "/bg.log"), H.quote(pidfile)))
    return (H.read(pidfile):match("%d+"))
  end

  local function wait_part(part, bytes)
    local t0 = core.now()
    repeat
      local kind, size = core.stat(part)
      if kind == "file" and size >= bytes then return end
      core.sleep(0.05)
    until core.now() - t0 > 30
    error("no .part of " .. bytes .. " bytes: " .. H.read(dir .. "/bg.log"))
  end

  local function alive(pid) return os.execute("kill -0 " .. pid .. " 2>/dev/null") == true end

  local uri, size = "mast:SANDBOX/size/300000/overlap.fits", 300000

  it("fails the second at once with 'in progress elsewhere', and the first writes the file", function()
    local dest = dir .. "/overlap.fits"
    H.faults { { kind = "stall", after_bytes = 100000, seconds = 3, times = 1, match = { uri = "overlap.fits" } } }
    local pid = spawn(("require('mast').download(%q, %q, {size = %d, progress = false})"):format(uri, dest, size))
    wait_part(dest .. ".part", 100000)
    local e = H.raises("io", mast.download, uri, dest, { size = size, progress = false })
    assert.matches("in progress elsewhere", e.message, 1, true)
    local t0 = core.now()
    while alive(pid) and core.now() - t0 < 30 do core.sleep(0.05) end
    assert.equal(reference(uri), H.read(dest))
    assert.is_nil(core.stat(dest .. ".part"))
  end)

  it("leaves the other process's .part alone when refused, even while it is empty", function()
    local dest = dir .. "/empty.fits"
    local u = "mast:SANDBOX/size/300000/empty.fits"
    H.faults { { kind = "stall", after_bytes = 0, seconds = 3, times = 1, match = { uri = "empty.fits" } } }
    local pid = spawn(("require('mast').download(%q, %q, {size = %d, progress = false})"):format(u, dest, size))
    wait_part(dest .. ".part", 0)
    local e = H.raises("io", mast.download, u, dest, { size = size, progress = false })
    assert.matches("in progress elsewhere", e.message, 1, true)
    assert.equal("file", core.stat(dest .. ".part"))   -- the first process's, still there
    local t0 = core.now()
    while alive(pid) and core.now() - t0 < 30 do core.sleep(0.05) end
    assert.equal(reference(u), H.read(dest))
  end)

  it("resumes the .part of a process killed mid-transfer", function()
    local dest = dir .. "/killed.fits"
    local u = "mast:SANDBOX/size/300000/killed.fits"
    H.faults { { kind = "stall", after_bytes = 100000, seconds = 60, times = 1, match = { uri = "killed.fits" } } }
    local pid = spawn(("require('mast').download(%q, %q, {size = %d, progress = false})"):format(u, dest, size))
    wait_part(dest .. ".part", 100000)
    os.execute("kill -9 " .. pid)
    while alive(pid) do core.sleep(0.02) end
    local r = mast.download(u, dest, { size = size, progress = false })
    assert.is_true(r.resumed)
    assert.equal(reference(u), H.read(dest))
  end)
end)
