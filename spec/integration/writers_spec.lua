-- Many writers (issue 15 §4): several mast processes writing the same path at once (the
-- everyday accident of overlapping cluster jobs), some of them killed with SIGKILL. Each
-- output ends as one writer's whole file, or a clear "in progress elsewhere" error for a
-- download's loser; never a spliced file, never a .part two writers share; what a killed
-- writer left never blocks (nor litters) the next run.
local mast = require "mast"
local core = require "mast.core"

describe("many writers at once", function()
  local dir
  H.dir_each(function(d) dir = d end)

  -- Starts `mast -e code` in the background (its output in dir/<name>.log); its pid.
  local function spawn(name, code, env)
    local pidfile = dir .. "/" .. name .. ".pid"
    os.execute(("%s MAST_TIMEOUT=60 MAST_RETRY_DELAY=0.1 %s -e %s >%s 2>&1 </dev/null & echo $! >%s")
      :format(env or "", H.quote(H.bin), H.quote(code), H.quote(dir .. "/" .. name .. ".log"), H.quote(pidfile)))
    return (H.read(pidfile):match("%d+"))
  end

  local function alive(pid) return os.execute("kill -0 " .. pid .. " 2>/dev/null") == true end

  local function wait_gone(pids)
    local t0 = core.now()
    for _, pid in ipairs(pids) do
      while alive(pid) and core.now() - t0 < 60 do core.sleep(0.02) end
      assert.is_false(alive(pid), "process " .. pid .. " still running")
    end
  end

  local function files(d)
    local code, out = H.sh("ls -A " .. H.quote(d))
    assert.equal(0, code)
    local list = {}
    for name in out:gmatch("[^\n]+") do list[#list + 1] = name end
    table.sort(list)
    return list
  end

  local function log_of(name) return H.read(dir .. "/" .. name .. ".log") or "" end

  -- A writer through core.open_output (the one way CSVs, manifests, VOTables and
  -- plots are written) that takes its time, so that the writers overlap.
  local function slow_writer(path, i, go)
    return ([[
      local core = require "mast.core"
      while core.stat(%q) == nil do core.sleep(0.005) end
      local out = core.open_output(%q)
      for k = 1, 40 do out:write(("%%d,%%d,%%s\n"):format(%d, k, ("x"):rep(4000))) core.sleep(0.01) end
      out:commit()
      print("committed")]]):format(go, path, i)
  end

  local function whole_file_of_one_writer(text)
    local writer, k = nil, 0
    for line in text:gmatch("[^\n]+") do
      local w, n = line:match("^(%d+),(%d+),")
      writer = writer or w
      assert.equal(writer, w, "lines of two writers in one file")
      k = k + 1
      assert.equal(k, tonumber(n))
    end
    assert.equal(40, k, "a whole file")
    return writer
  end

  it("core.open_output: 6 writers of one path, 2 killed -9: one whole file, the others succeed, no litter", function()
    local path, go = dir .. "/out/table.csv", dir .. "/go"
    local pids = {}
    for i = 1, 6 do pids[i] = spawn("w" .. i, slow_writer(path, i, go)) end
    core.sleep(0.3)
    H.write(go, "")
    core.sleep(0.2)   -- all are writing now
    os.execute("kill -9 " .. pids[2] .. " " .. pids[5])
    wait_gone(pids)
    for _, i in ipairs { 1, 3, 4, 6 } do
      assert.matches("committed", log_of("w" .. i), 1, true)
    end
    whole_file_of_one_writer(H.read(path))
    -- the killed writers' files are not at the path; the next write sweeps them away
    local out = core.open_output(path)
    out:write("1,1,x\n")
    out:commit()
    assert.same({ "table.csv" }, files(dir .. "/out"))
  end)

  it("mast.json2csv from 5 processes to one file, 2 killed -9 mid-write: a whole CSV of one writer", function()
    local path, go = dir .. "/rows.csv", dir .. "/go"
    local code = [[
      local core = require "mast.core"
      local rows = {}
      for k = 1, 300000 do rows[k] = { w = %d, k = k, s = ("y"):rep(20) } end
      local r = require("mast.dataset").result(rows, { { name = "w", type = "int" }, { name = "k", type = "int" },
                                            { name = "s", type = "string" } })
      while core.stat(%q) == nil do core.sleep(0.005) end
      mast.json2csv(r, { file = %q })
      print("written")]]
    local pids = {}
    for i = 1, 5 do pids[i] = spawn("c" .. i, code:format(i, go, path)) end
    core.sleep(0.5)
    H.write(go, "")
    core.sleep(0.3)   -- (writing takes about a second)
    os.execute("kill -9 " .. pids[1] .. " " .. pids[4])
    wait_gone(pids)
    for _, i in ipairs { 2, 3, 5 } do assert.matches("written", log_of("c" .. i), 1, true) end
    local data = require("mast.dataset").of(mast.read_csv(path)).data
    assert.equal(300000, #data)
    local w = data[1].w
    for k, row in ipairs(data) do
      if row.w ~= w or row.k ~= k then error(("row %d is not writer %s's row %d"):format(k, w, k)) end
    end
  end)

  it("a download to one path from 5 processes, the holder killed -9: 'in progress elsewhere' or the file; "
    .. "the next run resumes it", function()
    local uri, size = "mast:SANDBOX/size/300000/many.fits", 300000
    local want = dir .. "/want.fits"
    mast.download(uri, want, { progress = false })
    H.reset()
    local dest = dir .. "/many.fits"
    H.faults { { kind = "stall", after_bytes = 100000, seconds = 60, times = 1, match = { uri = "many.fits" } } }
    local code = ("local ok, e = pcall(mast.download, %q, %q, {size = %d, progress = false}) "
      .. "print(ok and 'done' or e.code .. ': ' .. e.message)"):format(uri, dest, size)
    local pids = {}
    for i = 1, 5 do pids[i] = spawn("d" .. i, code) end
    local t0 = core.now()
    repeat core.sleep(0.05) until select(2, core.stat(dest .. ".part")) == 100000 or core.now() - t0 > 30
    -- the four that were refused end at once; the holder hangs in the stall
    local t1 = core.now()
    local holder
    while core.now() - t1 < 20 do
      local running = {}
      for _, pid in ipairs(pids) do if alive(pid) then running[#running + 1] = pid end end
      if #running == 1 then holder = running[1] break end
      core.sleep(0.05)
    end
    assert.truthy(holder, "one process holds the download")
    os.execute("kill -9 " .. holder)
    wait_gone(pids)
    local refused = 0
    for i = 1, 5 do
      local text = log_of("d" .. i)
      if text:find("in progress elsewhere", 1, true) then
        refused = refused + 1
        assert.matches("^io: ", text)
      end
    end
    assert.equal(4, refused)
    local r = mast.download(uri, dest, { size = size, progress = false })
    assert.is_true(r.resumed)
    assert.is_true(H.read(dest) == H.read(want))
    assert.same({ "d1.log", "d1.pid", "d2.log", "d2.pid", "d3.log", "d3.pid", "d4.log", "d4.pid",
                  "d5.log", "d5.pid", "many.fits", "want.fits" }, files(dir))
  end)

  it("the query cache: 6 processes asking at once, 2 killed -9 mid-request: one entry, the same answer", function()
    local cache = dir .. "/qcache"
    local q = "mast.query{service = 'Mast.Caom.Cone', params = {ra = 254.28746, dec = -4.09933, radius = 0.2}}"
    local plain = mast.json.encode(mast.query { service = "Mast.Caom.Cone",
                                                params = { ra = 254.28746, dec = -4.09933, radius = 0.2 } })
    H.faults { { kind = "latency", ms = 700, times = 6, match = { path = "/api/v0/invoke" } } }
    local code = ("mast.config{cache = %q} local r = %s print(mast.json.encode(r))"):format(cache, q)
    local pids = {}
    for i = 1, 6 do pids[i] = spawn("q" .. i, code) end
    core.sleep(0.4)
    os.execute("kill -9 " .. pids[3] .. " " .. pids[6])
    wait_gone(pids)
    for _, i in ipairs { 1, 2, 4, 5 } do
      assert.equal(plain, (log_of("q" .. i):gsub("\n$", "")))
    end
    mast.config { cache = cache }
    local ok, r = pcall(mast.query, { service = "Mast.Caom.Cone",
                                      params = { ra = 254.28746, dec = -4.09933, radius = 0.2 } })
    local stats = mast.cache.stats()
    mast.config { cache = false }
    assert.is_true(ok, r)
    assert.equal(plain, mast.json.encode(r))
    assert.equal(1, stats.entries)
    assert.equal(1, stats.hits)
  end)
end)
