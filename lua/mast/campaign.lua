--- mast.campaign: the campaign half of mast.shard (mast.shard.merge, mast.shard.queries,
-- mast.shard.describe): each task of an array runs its shard and writes the shard's
-- manifest; merge joins the manifests into one.
local core = require "mast.core"
local shard = require "mast.shard"
local O = require "mast.options"
local usage, V = O.usage, O.validators

local M = { _NAME = "mast.campaign" }

local function split(path)
  local dir, name = path:match("^(.*)/([^/]*)$")
  if not dir then return ".", path end
  return dir == "" and "/" or dir, name
end

local function lua_pattern(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")) end


local MERGE_OPTS = { out = V.string, count = V.posint }

--- mast.shard.merge(base [, opts]) -> report
-- Reads every shard manifest of base (<stem>.shard-I-of-N.json beside it), joins their
-- entries in the order of the whole list and writes them to opts.out (default base; .csv:
-- CSV, else JSON). report: {count, found, missing = {shard indices}, failed = {entries},
-- complete, entries, path}; opts.count: the number of shards expected (default: what the
-- manifests say), so that a campaign whose manifests are all missing is noticed too.
O.declare("mast.shard.merge", MERGE_OPTS)
function M.merge(base, opts)
  local fn = "mast.shard.merge"
  opts = O.options(fn, opts, MERGE_OPTS)
  if type(base) ~= "string" or base == "" then usage(fn, "base must be the campaign's manifest path") end
  base = core.resolve_path(base)
  local dir, name = split(base)
  local stem = name:gsub("%.[%w]+$", "")
  local pat = "^" .. lua_pattern(stem) .. "%.shard%-(%d+)%-of%-(%d+)%.json$"
  local names, why = core.list_dir(dir)
  if not names then usage(fn, why) end
  table.sort(names)
  local count, shards = opts.count, {}
  for _, n in ipairs(names) do
    local i, c = n:match(pat)
    if i then
      i, c = math.tointeger(tonumber(i)), math.tointeger(tonumber(c))
      count = count or c
      if c ~= count then
        usage(fn, ("%s/%s is shard %d of %d, but the campaign has %d shards: remove the manifests of "
          .. "an older run"):format(dir, n, i, c, count))
      end
      shards[i] = dir .. "/" .. n
    end
  end
  if not count then
    usage(fn, ("no shard manifests %s.shard-*-of-*.json in %s"):format(stem, dir))
  end
  local entries, missing, failed, complete, found = {}, {}, {}, 0, 0
  for i = 0, count - 1 do
    if not shards[i] then
      missing[#missing + 1] = i
    else
      local text = core.read_file(shards[i])   -- raises an io error naming the file
      local ok, doc = pcall(core.json_decode, text)
      if not ok or type(doc) ~= "table" or type(doc.entries) ~= "table" then
        usage(fn, shards[i] .. " is not a shard manifest")
      end
      found = found + 1
      for _, e in ipairs(doc.entries) do
        e.shard = i
        entries[#entries + 1] = e
      end
    end
  end
  table.sort(entries, function(a, b)
    local pa, pb = tonumber(a.position) or 0, tonumber(b.position) or 0
    if pa ~= pb then return pa < pb end
    return a.shard < b.shard
  end)
  for _, e in ipairs(entries) do
    if e.status == "ERROR" then failed[#failed + 1] = e else complete = complete + 1 end
  end
  local out = opts.out and core.resolve_path(opts.out) or base
  if out:match("%.csv$") then
    require("mast.products").write_manifest(entries, out)
  else
    local f <close> = core.open_output(out)
    f:write(core.json_encode({ mast_manifest = 1, count = count, missing = core.array(missing),
                               entries = core.array(entries) }))
    f:commit()
  end
  return { count = count, found = found, missing = missing, failed = failed, complete = complete,
           entries = entries, path = out }
end

--- The text a merge report is told in (the command prints it).
function M.describe(r)
  local lines = { ("%d of %d shards, %d entries: %d complete, %d failed -> %s"):format(
    r.found, r.count, #r.entries, r.complete, #r.failed, r.path) }
  if #r.missing > 0 then
    local ids = {}
    for k, i in ipairs(r.missing) do ids[k] = tostring(i) end
    lines[#lines + 1] = "missing shards (rerun these tasks): " .. table.concat(ids, ",")
  end
  for k, e in ipairs(r.failed) do
    if k > 20 then lines[#lines + 1] = ("... and %d more failures"):format(#r.failed - 20) break end
    lines[#lines + 1] = ("failed: %s: %s"):format(e.local_path or e.path or e.uri or "?", e.message or "")
  end
  return table.concat(lines, "\n")
end

local QUERIES_OPTS = { out = V.string, shard = V.shard, concurrency = V.concurrency,
                       manifest = V.string, deadline = V.deadline }

--- mast.shard.queries(requests, {out = dir [, shard =, concurrency =, manifest =]}) -> entries, info
-- Runs this task's share of requests (mast.query requests) concurrently and writes each
-- answer to <out>/query-<position>.json ({fields, data}; .csv / .xml: a csv or votable
-- answer's text); a request whose file is there
-- already is SKIPPED (a rerun does only what is missing). The shard's manifest goes to
-- <manifest or out/manifest>.shard-I-of-N.json with one entry per request:
-- {position, path, status = COMPLETE | SKIPPED | ERROR, rows, message}.
O.declare("mast.shard.queries", QUERIES_OPTS)
function M.queries(requests, opts)
  local fn = "mast.shard.queries"
  opts = O.options(fn, opts, QUERIES_OPTS)
  if type(requests) ~= "table" then usage(fn, "requests must be a list of mast.query requests") end
  if not opts.out then usage(fn, "option 'out' (the directory for the answers) is required") end
  local index, count = shard.from_option(opts.shard or true, fn)
  local mine, info = shard.shard(requests, { index = index, count = count, size = false })
  info.total = #requests
  local out = core.resolve_path(opts.out):gsub("/+$", "")
  local entries, todo, where = {}, {}, {}
  for k, req in ipairs(mine) do
    local p = info.positions[k]
    -- a json answer is kept as {fields, data}; csv and votable answers as the text they are
    local ext = type(req) == "table" and ({ csv = "csv", votable = "xml" })[req.format] or "json"
    local path = ("%s/query-%06d.%s"):format(out, p, ext)
    entries[k] = { position = p, path = path }
    if core.stat(path) == "file" then
      entries[k].status, entries[k].message = "SKIPPED", "already answered"
    else
      todo[#todo + 1] = req
      where[#todo] = k
    end
  end
  if #todo > 0 then
    local answers = require("mast.query").query_many(todo, { concurrency = opts.concurrency,
                                                             deadline = opts.deadline, progress = false })
    for j, a in ipairs(answers) do
      local e = entries[where[j]]
      if core.is_error(a) then
        e.status, e.message = "ERROR", tostring(a)
      else
        local data = type(a) == "table" and a.data or nil
        local f <close> = core.open_output(e.path)
        if type(a) == "string" then
          f:write(a)
        else
          f:write(core.json_encode({ fields = core.array(type(a) == "table" and a.fields or {}),
                                     data = core.array(data or {}) }))
        end
        f:commit()
        e.status, e.rows, e.message = "COMPLETE", data and #data or nil, ""
      end
    end
  end
  shard.write_manifest(entries, opts.manifest or (out .. "/manifest"), info)
  return entries, info
end

return M
