-- mast.shard: deterministic, disjoint, covering, balanced by size; where the shard comes
-- from; mast.shard.merge of shard manifests.
local mast = require "mast"
local core = require "mast.core"
local shard = require "mast.shard"

local function items(sizes)
  local out = {}
  for i, s in ipairs(sizes) do out[i] = { name = "f" .. i, size = s } end
  return out
end

describe("mast.shard", function()
  it("splits a list into disjoint shards that cover it, balanced by size", function()
    local sizes = {}
    for i = 1, 101 do sizes[i] = (i * 7919) % 1000 + 1 end
    local list = items(sizes)
    local seen, loads, total = {}, {}, 0
    for i = 0, 7 do
      local share, info = mast.shard(list, { index = i, count = 8 })
      loads[#loads + 1] = info.bytes
      for k, x in ipairs(share) do
        assert.is_nil(seen[x])
        seen[x] = true
        total = total + 1
        if k > 1 then assert.is_true(info.positions[k] > info.positions[k - 1]) end   -- list order
      end
    end
    assert.equal(101, total)
    table.sort(loads)
    assert.is_true(loads[8] - loads[1] <= 1000)   -- within one item of each other
  end)

  it("balances what round-robin would not", function()
    -- sizes alternate large and small: every other one to two bins by count is 100:1
    local list = items { 100, 1, 100, 1, 100, 1, 100, 1 }
    local a = select(2, mast.shard(list, { index = 0, count = 2 })).bytes
    local b = select(2, mast.shard(list, { index = 1, count = 2 })).bytes
    assert.equal(a, b)
  end)

  it("is the same partition every time, and round-robin without sizes", function()
    local list = {}
    for i = 1, 10 do list[i] = "x" .. i end
    assert.same({ "x2", "x5", "x8" }, (mast.shard(list, { index = 1, count = 3 })))
    local l2 = items { 5, 5, 5, 5 }
    assert.same(mast.shard(l2, { index = 1, count = 2 }), mast.shard(l2, { index = 1, count = 2 }))
  end)

  it("shares a result's rows as a result", function()
    local r = { fields = { { name = "size", type = "int" } }, data = items { 1, 2, 3, 4 } }
    local s = mast.shard(r, { index = 0, count = 2 })
    assert.equal(2, #s.data)
    assert.same(r.fields, s.fields)
  end)

  it("rejects a bad index or count, naming it", function()
    local e = H.raises("usage", mast.shard, { 1 }, { index = 2, count = 2 })
    assert.matches("index", e.message)
    H.raises("usage", mast.shard, { 1 }, { index = 0, count = 0 })
    H.raises("usage", mast.shard, "x")
  end)

  local function current(env)
    local code, out, err = H.mast({ "-e", "print(require('mast').shard.current())" }, nil, env)
    return code, out .. err
  end

  it("takes the shard from MAST_SHARD or Slurm's array variables", function()
    local _, out = current { MAST_SHARD = "3/8" }
    assert.matches("^3\t8\tMAST_SHARD", out)
    _, out = current { SLURM_ARRAY_TASK_ID = "5", SLURM_ARRAY_TASK_MIN = "1", SLURM_ARRAY_TASK_COUNT = "8" }
    assert.matches("^4\t8\tSLURM_ARRAY_TASK_ID", out)
    _, out = current { SLURM_ARRAY_TASK_ID = "8", SLURM_ARRAY_TASK_MIN = "0", SLURM_ARRAY_TASK_MAX = "12",
                       SLURM_ARRAY_TASK_STEP = "4" }
    assert.matches("^2\t4\t", out)
    -- one task resubmitted alone: MAST_SHARD_COUNT keeps it task 3 of 8
    _, out = current { SLURM_ARRAY_TASK_ID = "3", SLURM_ARRAY_TASK_COUNT = "1", SLURM_ARRAY_TASK_MIN = "3",
                       MAST_SHARD_COUNT = "8" }
    assert.matches("^3\t8\t", out)
  end)

  it("names the variable that is wrong", function()
    local code, out = current { MAST_SHARD = "8/8" }
    assert.is_true(code ~= 0)
    assert.matches("MAST_SHARD is '8/8'", out, 1, true)
    code, out = current { SLURM_ARRAY_TASK_ID = "x", SLURM_ARRAY_TASK_COUNT = "8" }
    assert.is_true(code ~= 0)
    assert.matches("SLURM_ARRAY_TASK_ID is 'x'", out, 1, true)
    code, out = current { SLURM_ARRAY_TASK_ID = "3", SLURM_ARRAY_TASK_COUNT = "oops" }
    assert.is_true(code ~= 0)
    assert.matches("SLURM_ARRAY_TASK_COUNT is 'oops'", out, 1, true)
  end)
end)

describe("mast.shard.merge", function()
  local dir
  before_each(function() dir = H.tmpdir() end)
  after_each(function() os.execute("rm -rf " .. H.quote(dir)) end)

  local function write_shard(i, n, entries, positions)
    shard.write_manifest(entries, dir .. "/m.csv", { index = i, count = n, positions = positions })
  end

  it("joins shard manifests in list order, naming missing shards and failed items", function()
    write_shard(0, 3, { { local_path = "a", status = "COMPLETE", bytes = 1 },
                        { local_path = "d", status = "ERROR", message = "HTTP 404" } }, { 1, 4 })
    write_shard(2, 3, { { local_path = "c", status = "SKIPPED", bytes = 3 } }, { 3 })
    local r = mast.shard.merge(dir .. "/m.csv")
    assert.equal(3, r.count)
    assert.same({ 1 }, r.missing)
    assert.equal(1, #r.failed)
    assert.equal("d", r.failed[1].local_path)
    assert.same({ "a", "c", "d" }, { r.entries[1].local_path, r.entries[2].local_path, r.entries[3].local_path })
    local csv = H.read(dir .. "/m.csv")
    assert.matches("^local_path,status", csv)
    assert.matches("HTTP 404", csv, 1, true)
    assert.matches("missing shards %(rerun these tasks%): 1", mast.shard.describe(r))
    -- the command: exit 1 and the same report
    local code, out = H.mast({ H.root .. "/scripts/mast-manifest-merge", dir .. "/m.csv", "--out", dir .. "/all.json" })
    assert.equal(1, code)
    assert.matches("2 of 3 shards, 3 entries: 2 complete, 1 failed", out, 1, true)
    assert.equal(3, #core.json_decode(H.read(dir .. "/all.json")).entries)
  end)

  it("notices shards of another run, and a campaign with none", function()
    write_shard(0, 2, { { local_path = "a", status = "COMPLETE" } }, { 1 })
    write_shard(1, 3, { { local_path = "b", status = "COMPLETE" } }, { 2 })
    H.raises("usage", mast.shard.merge, dir .. "/m.csv")
    local e = H.raises("usage", mast.shard.merge, dir .. "/none.csv")
    assert.matches("no shard manifests", e.message)
    -- the number of shards given: all four are missing
    assert.same({ 0, 1, 2, 3 }, mast.shard.merge(dir .. "/other.csv", { count = 4 }).missing)
  end)
end)

describe("mast.shard.queries", function()
  local dir, query, real, sent
  before_each(function()
    dir = H.tmpdir()
    query = require "mast.query"
    real, sent = query.query_many, {}
    -- MAST, offline: every request handed over is one invoke sent
    query.query_many = function(list)
      local answers = {}
      for i, req in ipairs(list) do
        sent[#sent + 1] = req.params.n
        answers[i] = { fields = { { name = "n", type = "int" } }, data = { { n = req.params.n } } }
      end
      return answers
    end
  end)
  after_each(function()
    query.query_many = real
    os.execute("rm -rf " .. H.quote(dir))
  end)

  local requests = {}
  for n = 1, 6 do requests[n] = { service = "Mast.Caom.Cone", params = { n = n }, format = "json" } end
  local SHARD = { index = 1, count = 2 }   -- positions 2, 4, 6

  local function statuses(entries)
    local out = {}
    for k, e in ipairs(entries) do out[k] = e.position .. "=" .. e.status end
    return table.concat(out, " ")
  end

  it("answers a rerun from what is there: nothing sent, every request SKIPPED", function()
    local entries = mast.shard.queries(requests, { out = dir, shard = SHARD })
    assert.same({ 2, 4, 6 }, sent)
    assert.equal("2=COMPLETE 4=COMPLETE 6=COMPLETE", statuses(entries))
    sent = {}
    entries = mast.shard.queries(requests, { out = dir, shard = SHARD })
    assert.same({}, sent)                              -- 0 new invokes
    assert.equal("2=SKIPPED 4=SKIPPED 6=SKIPPED", statuses(entries))
    for _, e in ipairs(entries) do assert.equal("already answered", e.message) end
    local doc = core.json_decode(H.read(shard.manifest_path(dir .. "/manifest", 1, 2)))
    for _, e in ipairs(doc.entries) do assert.equal("SKIPPED", e.status) end
    -- the answers are the first run's
    assert.equal(4, core.json_decode(H.read(dir .. "/query-000004.json")).data[1].n)
  end)

  it("redoes only the missing answers of a partly answered shard", function()
    mast.shard.queries(requests, { out = dir, shard = SHARD })
    os.remove(dir .. "/query-000004.json")
    sent = {}
    local entries = mast.shard.queries(requests, { out = dir, shard = SHARD })
    assert.same({ 4 }, sent)
    assert.equal("2=SKIPPED 4=COMPLETE 6=SKIPPED", statuses(entries))
    assert.equal(4, core.json_decode(H.read(dir .. "/query-000004.json")).data[1].n)
  end)
end)
