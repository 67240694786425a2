--- mast.shard: one task's share of a campaign, and the manifests of the shards.
-- mast.shard(list) is the part of list this task of a Slurm job array (or of
-- MAST_SHARD=i/N) does. Every task computes the same partition from the same list,
-- so the shards are disjoint and cover the list; a task needs no word from another.
local core = require "mast.core"
local O = require "mast.options"
local usage, V = O.usage, O.validators

local M = { _NAME = "mast.shard" }

-- A whole number from the text of an environment variable, or a usage error naming it.
local function env_int(fn, name, text, min)
  local n = text and text:match("^%s*(%-?%d+)%s*$") and math.tointeger(tonumber(text))
  if not n or n < min then
    usage(fn, ("%s is %s: expected a whole number%s"):format(name, O.describe(text),
      min > 0 and (" of at least " .. min) or (min == 0 and " (0 or more)" or "")))
  end
  return n
end

--- mast.shard.current([opts]) -> index, count, from
-- The task's shard: index in 0..count-1. From opts {index =, count =}, else
-- MAST_SHARD=i/N, else Slurm's SLURM_ARRAY_TASK_ID with MAST_SHARD_COUNT (the id is the
-- index), SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MIN/MAX (_STEP), else 0 of 1 (the
-- whole list). from names where the answer came from ("options", "MAST_SHARD", "SLURM_ARRAY_TASK_ID", "none").
function M.current(opts, fn)
  fn = fn or "mast.shard"
  opts = opts or {}
  local getenv = os.getenv
  if opts.index ~= nil or opts.count ~= nil then
    if math.type(opts.count) ~= "integer" or opts.count < 1 then
      usage(fn, "option 'count' must be a whole number of at least 1, got " .. O.describe(opts.count))
    end
    if math.type(opts.index) ~= "integer" or opts.index < 0 or opts.index >= opts.count then
      usage(fn, ("option 'index' must be a whole number from 0 to %d (count - 1), got %s")
        :format(opts.count - 1, O.describe(opts.index)))
    end
    return opts.index, opts.count, "options"
  end
  local s = getenv("MAST_SHARD")
  if s and s ~= "" then
    local i, n = s:match("^%s*(%d+)%s*/%s*(%d+)%s*$")
    i, n = math.tointeger(tonumber(i)), math.tointeger(tonumber(n))
    if not i or n < 1 or i >= n then
      usage(fn, ("MAST_SHARD is %s: expected i/N with 0 <= i < N (e.g. 3/8)"):format(O.describe(s)))
    end
    return i, n, "MAST_SHARD"
  end
  local id = getenv("SLURM_ARRAY_TASK_ID")
  local fixed = getenv("MAST_SHARD_COUNT")
  if id and id ~= "" and fixed and fixed ~= "" then
    -- the campaign's size given: the task id is the shard, so one task can be resubmitted
    -- alone (MAST_SHARD_COUNT=8 sbatch --array=3 ...)
    local count = env_int(fn, "MAST_SHARD_COUNT", fixed, 1)
    id = env_int(fn, "SLURM_ARRAY_TASK_ID", id, 0)
    if id >= count then
      usage(fn, ("SLURM_ARRAY_TASK_ID is %d but MAST_SHARD_COUNT is %d: task ids must be 0 to %d")
        :format(id, count, count - 1))
    end
    return id, count, "SLURM_ARRAY_TASK_ID"
  end
  if id and id ~= "" then
    id = env_int(fn, "SLURM_ARRAY_TASK_ID", id, 0)
    local min = env_int(fn, "SLURM_ARRAY_TASK_MIN", getenv("SLURM_ARRAY_TASK_MIN") or "0", 0)
    local step = env_int(fn, "SLURM_ARRAY_TASK_STEP", getenv("SLURM_ARRAY_TASK_STEP") or "1", 1)
    local count = getenv("SLURM_ARRAY_TASK_COUNT")
    if count then
      count = env_int(fn, "SLURM_ARRAY_TASK_COUNT", count, 1)
    else
      local max = getenv("SLURM_ARRAY_TASK_MAX")
      if not max then usage(fn, "SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor "
        .. "SLURM_ARRAY_TASK_MAX is: set MAST_SHARD=i/N instead") end
      count = (env_int(fn, "SLURM_ARRAY_TASK_MAX", max, min) - min) // step + 1
    end
    local index = (id - min) // step
    -- a sparse array (--array=1,4,9) has no i/N form: say so rather than lose items
    if (id - min) % step ~= 0 or index < 0 or index >= count then
      usage(fn, ("SLURM_ARRAY_TASK_ID %d is not a task of a regular array of %d tasks "
        .. "(--array=MIN-MAX[:STEP]); set MAST_SHARD=i/N for other layouts"):format(id, count))
    end
    return index, count, "SLURM_ARRAY_TASK_ID"
  end
  return 0, 1, "none"
end

--- mast.shard.from_option(v [, fn]) -> index, count: a campaign's `shard` option, true (from
-- the environment, as mast.shard.current) or {index =, count =}.
function M.from_option(v, fn)
  return M.current(v ~= true and v or nil, fn)
end

-- The size of an item for balancing: a whole number of bytes, else nil.
local function size_of(item, size)
  local v
  if type(size) == "function" then v = size(item)
  elseif type(item) == "table" then v = item[size] end
  if math.type(v) == "integer" and v >= 0 then return v end
  return nil
end

--- positions(n, index, count, sizes) -> the positions (1..n, ascending) of shard index.
-- With every size known: greedy largest-first into count bins (the lightest bin takes
-- the next item; ties go to the earlier item and the lower bin), so bytes balance;
-- otherwise round-robin by position (counts balance). Deterministic either way.
function M.positions(n, index, count, sizes)
  local mine = {}
  if not sizes then
    for p = index + 1, n, count do mine[#mine + 1] = p end
    return mine
  end
  local order = {}
  for p = 1, n do order[p] = p end
  table.sort(order, function(a, b)
    if sizes[a] ~= sizes[b] then return sizes[a] > sizes[b] end
    return a < b
  end)
  local load = {}
  for b = 0, count - 1 do load[b] = 0 end
  for _, p in ipairs(order) do
    local best = 0
    for b = 1, count - 1 do if load[b] < load[best] then best = b end end
    load[best] = load[best] + sizes[p]
    if best == index then mine[#mine + 1] = p end
  end
  table.sort(mine)
  return mine
end

local SHARD_OPTS = { index = function(v) if math.type(v) ~= "integer" then return "a whole number" end end,
                     count = V.posint,
                     size = function(v)
                       if type(v) ~= "string" and type(v) ~= "function" and v ~= false then
                         return "a column name, a function(item) -> bytes, or false"
                       end
                     end }

--- mast.shard(list [, opts]) -> share, info
-- list: a list, or a result/dataset (its rows are shared and a result of the same
-- fields comes back). info: {index, count, from, positions (of the share in list), bytes
-- (of the share, when sizes are known)}.
O.declare("mast.shard.shard", SHARD_OPTS)
function M.shard(list, opts)
  local fn = "mast.shard"
  opts = O.options(fn, opts, SHARD_OPTS)
  if type(list) ~= "table" then usage(fn, "expected a list or a result, got " .. O.describe(list)) end
  local rows = type(list.data) == "table" and list.data or list
  local index, count, from = M.current(opts, fn)
  local size = opts.size == nil and "size" or opts.size
  local sizes
  if size then
    sizes = {}
    for p, item in ipairs(rows) do
      sizes[p] = size_of(item, size)
      if not sizes[p] then sizes = nil break end
    end
  end
  local positions = M.positions(#rows, index, count, sizes)
  local share, bytes = {}, sizes and 0 or nil
  for k, p in ipairs(positions) do
    share[k] = rows[p]
    if sizes then bytes = bytes + sizes[p] end
  end
  local info = { index = index, count = count, from = from, positions = positions, bytes = bytes }
  if rows ~= list then
    local n = #share
    local res = { status = "COMPLETE", msg = "", data = share, fields = list.fields or {},
                  paging = { page = 1, pageSize = n, pagesFiltered = 1, rows = n, rowsFiltered = n,
                             rowsTotal = n } }
    return require("mast.result").wrap(res, ("shard %d of %d"):format(index, count)), info
  end
  return share, info
end

-- ---------------------------------------------------------------- shard manifests

local function stem_of(base)
  return (base:gsub("%.[%w]+$", ""))
end

--- mast.shard.manifest_path(base, index, count) -> "<base without extension>.shard-0003-of-0008.json"
function M.manifest_path(base, index, count)
  local w = math.max(4, #tostring(count))
  return ("%s.shard-%0" .. w .. "d-of-%0" .. w .. "d.json"):format(stem_of(base), index, count)
end

local ENTRY_KEYS = { "local_path", "status", "message", "url", "uri", "bytes", "source", "position", "resumed",
                     "request", "path", "rows" }

--- write_manifest(entries, base, info): the shard's manifest, as JSON, via .part + rename.
-- Entries keep their position in the whole list, so the merge restores the order.
function M.write_manifest(entries, base, info)
  local out = {}
  for k, e in ipairs(entries) do
    local row = {}
    for _, key in ipairs(ENTRY_KEYS) do
      local v = e[key]
      if v ~= nil and (type(v) ~= "table" or key == "request") then row[key] = v end
    end
    row.position = row.position or (info.positions and info.positions[k]) or k
    out[k] = row
  end
  local doc = { mast_manifest = 1, shard = { index = info.index, count = info.count },
                total = info.total, entries = core.array(out) }
  local path = M.manifest_path(base, info.index, info.count)
  local f <close> = core.open_output(path)
  f:write(core.json_encode(doc))
  f:commit()
  return path
end

-- the campaign functions (lua/mast/campaign.lua), loaded on first use
function M.merge(base, opts) return require("mast.campaign").merge(base, opts) end
function M.describe(report) return require("mast.campaign").describe(report) end
function M.queries(requests, opts) return require("mast.campaign").queries(requests, opts) end

return setmetatable(M, { __call = function(_, ...) return M.shard(...) end })
