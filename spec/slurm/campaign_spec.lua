-- Campaigns on a real one-node Slurm cluster (spec/tools/slurm-cluster starts it, the
-- sandbox runs outside it on 127.0.0.1): an 8-task array downloads a product set in
-- shards; a task cancelled mid-transfer is resubmitted alone; two overlapping tasks share
-- destinations. Waits are for events (a .part growing, a manifest appearing, the queue
-- emptying), never blind sleeps.
local mast = require "mast"
local core = require "mast.core"

local TEMPLATE = H.root .. "/scripts/slurm/download.sbatch"
local QUERIES = H.root .. "/scripts/slurm/queries.sbatch"
local MERGE = H.root .. "/scripts/mast-manifest-merge"
local q = H.quote

local work, rows, ref, list

-- Runs sbatch from the work directory with the tasks' environment (sbatch exports ours).
local function sbatch(args, env)
  local parts = { "cd", q(work), "&&", "env", "MAST=" .. q(H.bin), "MAST_TIMEOUT=60",
                  "MAST_RETRY_DELAY=0.2", "MAST_PROGRESS=off" }
  for k, v in pairs(env or {}) do parts[#parts + 1] = k .. "=" .. q(v) end
  parts[#parts + 1] = "sbatch -o " .. q(work .. "/slurm-%A_%a.out") .. " " .. args
  return H.sh(table.concat(parts, " "))
end

local function logs()
  local _, out = H.sh("tail -n 5 " .. q(work) .. "/slurm-*.out 2>/dev/null")
  return out
end

local function wait_for(what, pred, limit)
  local t0 = core.now()
  while not pred() do
    if core.now() - t0 > (limit or 60) then error("timed out waiting for " .. what .. "\n" .. logs()) end
    core.sleep(0.05)
  end
end

local function queue_empty(job)
  return function()
    local _, out = H.sh("squeue -h -j " .. job .. " 2>/dev/null")
    return not out:match("%S")
  end
end

local function rel(row)
  return ("mastDownload/%s/%s/%s"):format(row.obs_collection, row.obs_id, row.productFilename)
end

local function same_files(dest)
  for _, row in ipairs(rows) do
    local got = core.stat(dest .. "/" .. rel(row)) and H.read(dest .. "/" .. rel(row))
    assert(got == H.read(ref .. "/" .. rel(row)), rel(row) .. " differs from the reference copy")
  end
  local _, parts = H.sh("find " .. q(dest) .. " -name '*.part'")
  assert.equal("", parts)
end

local function merge(base)
  return H.sh(q(H.bin) .. " " .. q(MERGE) .. " " .. q(base))
end

local function shard_doc(base, i, n)
  return core.json_decode(H.read(require("mast.shard").manifest_path(base, i, n)))
end

-- The shard (of n) that holds row.
local function shard_of(row, n)
  for i = 0, n - 1 do
    for _, r in ipairs(mast.shard(rows, { index = i, count = n })) do
      if r == row then return i end
    end
  end
end

describe("campaigns on Slurm", function()
  setup(function()
    H.reset()
    work = H.tmpdir()
    local cone = mast.caom.cone { ra = 10, dec = 20, radius = 2, pagesize = 40, page = 1 }
    local ids = {}
    for i = 1, 12 do ids[i] = cone.data[i].obsid end
    rows = mast.filter_products(mast.products(ids), { size = "<1500000", dataRights = "PUBLIC" }).data
    assert(#rows >= 30, "the sandbox gave too few products")
    list = work .. "/products.json"
    H.write(list, core.json_encode(rows))
    rows = core.json_decode(H.read(list))   -- as the tasks see them
    ref = work .. "/ref"
    local m = mast.download_products(rows, ref, { progress = false })
    for _, e in ipairs(m) do assert.equal("COMPLETE", e.status) end
  end)
  teardown(function() os.execute("rm -rf " .. q(work)) end)
  before_each(H.reset)

  it("downloads a product set in 8 shards, every file byte for byte, and merges the manifests", function()
    local dest = work .. "/run1"
    local code, out, err = sbatch("--wait --array=0-7 " .. q(TEMPLATE) .. " " .. q(list) .. " " .. q(dest))
    assert(code == 0, out .. err .. logs())
    same_files(dest)
    -- the shards are disjoint and cover the list
    local seen, total = {}, 0
    for i = 0, 7 do
      local doc = shard_doc(dest .. "/manifest.csv", i, 8)
      assert.same({ index = i, count = 8 }, doc.shard)
      for _, e in ipairs(doc.entries) do
        assert.is_nil(seen[e.local_path])
        seen[e.local_path] = true
        total = total + 1
        assert.equal("COMPLETE", e.status)
      end
    end
    assert.equal(#rows, total)
    code, out = merge(dest .. "/manifest.csv")
    assert.equal(0, code)
    assert.matches(("8 of 8 shards, %d entries: %d complete, 0 failed"):format(#rows, #rows), out, 1, true)
    local csv = H.read(dest .. "/manifest.csv")
    assert.equal(#rows + 1, select(2, csv:gsub("\n", "\n")))
    local lines = {}
    for l in csv:gmatch("[^\n]+") do lines[#lines + 1] = l end
    for i, row in ipairs(rows) do   -- in the order of the list
      assert.truthy(lines[i + 1]:find(rel(row), 1, true))
    end
  end)

  it("resubmits a task cancelled mid-transfer: it resumes, and the campaign is complete and identical", function()
    local dest = work .. "/run2"
    local victim = rows[1]
    for _, r in ipairs(rows) do if r.size > victim.size then victim = r end end
    local i = shard_of(victim, 8)
    local half = victim.size // 2
    H.faults { { kind = "stall", after_bytes = half, seconds = 120, times = 1, match = { uri = victim.dataURI } } }
    local code, out, err = sbatch("--parsable --array=0-7 " .. q(TEMPLATE) .. " " .. q(list) .. " " .. q(dest))
    assert(code == 0, out .. err)
    local job = out:match("^(%d+)")
    local part = dest .. "/" .. rel(victim) .. ".part"
    wait_for("the stalled .part", function()
      local kind, size = core.stat(part)
      return kind == "file" and size >= half
    end)
    assert.equal(0, (H.sh("scancel " .. job .. "_" .. i)))
    wait_for("the array to end", queue_empty(job))
    code, out = merge(dest .. "/manifest.csv")
    assert.equal(1, code)
    assert.matches("missing shards (rerun these tasks): " .. i, out, 1, true)
    assert.equal("file", core.stat(part))   -- kept, to resume
    -- the cancelled task alone, as task i of the 8
    code, out, err = sbatch("--wait --array=" .. i .. " " .. q(TEMPLATE) .. " " .. q(list) .. " " .. q(dest),
                            { MAST_SHARD_COUNT = "8" })
    assert(code == 0, out .. err .. logs())
    code, out = merge(dest .. "/manifest.csv")
    assert(code == 0, out)
    assert.matches(("8 of 8 shards, %d entries: %d complete"):format(#rows, #rows), out, 1, true)
    local resumed
    for _, e in ipairs(shard_doc(dest .. "/manifest.csv", i, 8).entries) do
      if e.local_path == dest .. "/" .. rel(victim) then resumed = e.resumed end
    end
    assert.is_true(resumed)
    same_files(dest)
  end)

  it("lets two overlapping tasks share destinations: one writes each file, the other says so", function()
    local dest = work .. "/run3"
    local victim = rows[#rows]
    local half = victim.size // 2
    H.faults { { kind = "stall", after_bytes = half, seconds = 8, times = 1, match = { uri = victim.dataURI } } }
    local code, out, err = sbatch("--parsable " .. q(TEMPLATE) .. " " .. q(list) .. " " .. q(dest) .. " "
                                  .. q(dest .. "/a.csv"))
    assert(code == 0, out .. err)
    local a = out:match("^(%d+)")
    local part = dest .. "/" .. rel(victim) .. ".part"
    wait_for("the stalled .part", function()
      local kind, size = core.stat(part)
      return kind == "file" and size >= half
    end)
    -- the same list, the same destinations, while the first task holds the stalled file
    code, out, err = sbatch("--parsable " .. q(TEMPLATE) .. " " .. q(list) .. " " .. q(dest) .. " "
                            .. q(dest .. "/b.csv"))
    assert(code == 0, out .. err)
    local b = out:match("^(%d+)")
    wait_for("the second task", queue_empty(b))
    local doc = shard_doc(dest .. "/b.csv", 0, 1)
    local entry
    for _, e in ipairs(doc.entries) do if e.local_path == dest .. "/" .. rel(victim) then entry = e end end
    assert.equal("ERROR", entry.status)
    assert.matches("in progress elsewhere", entry.message, 1, true)
    wait_for("the first task", queue_empty(a))
    -- each file complete once, byte for byte; no .part left
    same_files(dest)
    for _, e in ipairs(shard_doc(dest .. "/a.csv", 0, 1).entries) do
      if e.status == "ERROR" then assert.matches("in progress elsewhere", e.message, 1, true) end
    end
  end)

  it("runs a query campaign in 4 shards and merges its manifests", function()
    local out_dir = work .. "/queries"
    local requests = {}
    for k = 1, 12 do
      requests[k] = { service = "Mast.Caom.Cone", format = "json",
                      params = { ra = 10 + k / 10, dec = 20, radius = 0.2 } }
    end
    local rq = work .. "/requests.json"
    H.write(rq, core.json_encode(requests))
    local code, out, err = sbatch("--wait --array=0-3 " .. q(QUERIES) .. " " .. q(rq) .. " " .. q(out_dir))
    assert(code == 0, out .. err .. logs())
    code, out = merge(out_dir .. "/manifest.csv")
    assert(code == 0, out)
    assert.matches("4 of 4 shards, 12 entries: 12 complete", out, 1, true)
    for k = 1, 12 do
      local got = core.json_decode(H.read(("%s/query-%06d.json"):format(out_dir, k)))
      local want = mast.query(requests[k])
      assert.equal(#want.data, #got.data)
    end
  end)
end)
