--- mast.qcache: MAST's final answers kept on disk, shared by processes and machines.
-- Off by default: MAST ingests data all the time, and a stale answer is a
-- silently different answer. mast.config{cache = dir | true | false,
-- cache_ttl = s, cache_max = bytes} (MAST_CACHE, MAST_CACHE_TTL,
-- MAST_CACHE_MAX); true is <cache_dir>/queries, the per-user directory of
-- the column-configuration cache, in a directory of its own so that neither
-- cache's clear or size cap touches the other's entries.
--
-- The entries are the disk cache's (src/bind/lcache.c: a checksum, the key
-- kept inside, temporary file + rename, files 0600 in a 0700 directory, no
-- locks), so many processes may share a directory, also over NFS; a
-- damaged entry is a miss and is fetched again. mast.transport asks here
-- before it sends a request and keeps an answer only once its protocol has
-- called it "done": never EXECUTING, an ERROR, a failed transfer or a
-- partial page. Never an answer about the token or the session (/whoami,
-- auth.mast.stsci.edu): a revoked token must stop working at once, and
-- /whoami's answer holds the token itself.
local core = require "mast.core"
local O = require "mast.options"

local M = { _NAME = "mast.qcache" }

local FORMAT = "mast-query 1"
-- this process's counts (per Lua state: the library keeps no global state)
local counts = { hits = 0, misses = 0, stores = 0, write_errors = 0 }
local last_write_error = nil

--- The directory in use, or nil when the query cache is off.
function M.dir()
  local c = require("mast.config").get("cache")
  if c == false or c == nil then return nil end
  if c == true then
    local base = core.cache_dir()
    return base and (base .. "/queries") or nil
  end
  return core.resolve_path(c)   -- as the files are written: relative to the download root or here
end

-- The headers of a spec in one order, as text.
local function headers_of(h)
  if h == nil then return "" end
  local list = {}
  for k, v in pairs(h) do
    list[#list + 1] = type(k) == "number" and tostring(v) or (tostring(k) .. ": " .. tostring(v))
  end
  table.sort(list)
  return table.concat(list, "\n")
end

-- Whether url asks about the token or the session: /whoami, or anything of
-- the token service's host (auth.mast.stsci.edu: /token, /tokens, /info).
local function is_auth(url)
  if type(url) ~= "string" then return false end
  local host, path = url:match("^%a[%w+.-]*://([^/?#]*)([^?#]*)")
  if not host then return false end
  host = host:gsub("^.*@", ""):gsub(":%d+$", ""):lower()
  if host:match("^auth%.") then return true end
  return path:lower():gsub("/+$", ""):match("/whoami$") ~= nil
end
M.is_auth = is_auth

--- The key of a request spec, or nil when its answer is not a cacheable
-- thing (a file, a stream, a HEAD, what the token or session is). The exact bytes sent, the endpoint and,
-- when the request may carry the token, a keyed hash of the token: the
-- token itself never leaves C.
function M.key(spec)
  if spec.dest ~= nil or spec.sink ~= nil or (spec.method or "GET") == "HEAD" then return nil end
  if is_auth(spec.url) then return nil end
  local who = ""
  if spec.auth == nil or spec.auth == "mast" then who = core.token_identity() or "" end
  return string.pack(">s4s4s4s4s4s4s4s4", FORMAT, spec.method or "GET", spec.url,
    spec.content_type or "", spec.decode or "", headers_of(spec.headers), who, spec.body or "")
end

--- The policy for one run: nil (off for it), or {dir =, refresh =}.
-- opts.cache: nil (the setting), false (not this call), "refresh" (fetch
-- again and keep the new answer).
function M.policy(opts)
  local c = opts and opts.cache
  if c == false then return nil end
  if c ~= nil and c ~= "refresh" and c ~= true then
    O.usage("mast.cache", "opts.cache must be false or \"refresh\", got " .. O.describe(c))
  end
  local rec = package.loaded["mast.record"]
  if rec and rec.mode() then return nil end   -- a recording keeps the real exchange
  local dir = M.dir()
  if dir == nil then return nil end
  return { dir = dir, refresh = c == "refresh" }
end

--- The cached response for key (as core.perform would give it), or nil.
function M.get(policy, spec, key)
  if policy.refresh then return nil end
  local bytes = core.cache_get(key, policy.dir)
  if bytes == nil then
    counts.misses = counts.misses + 1
    return nil
  end
  local ok, status, ctype, url, body = pcall(string.unpack, ">s4s4s4s4", bytes)
  if not ok then
    counts.misses = counts.misses + 1
    return nil
  end
  local r = { ok = true, status = math.tointeger(tonumber(status)), body = body, url = url ~= "" and url or nil,
              content_type = ctype ~= "" and ctype or nil, bytes = #body, attempts = 0,
              resumed = false, skipped = false, seconds = 0, cached = true }
  if spec.decode == "json" then
    local okj, v = pcall(core.json_decode, body)
    if not okj then
      counts.misses = counts.misses + 1
      return nil
    end
    r.value = v
  end
  counts.hits = counts.hits + 1
  return r
end

--- Keeps a final response under key; then keeps the directory under its cap.
-- A write the disk refuses changes no answer: it is counted (stats().write_errors,
-- with the last one's reason in stats().last_write_error).
function M.put(policy, key, r)
  if type(r.body) ~= "string" then return end
  local config = require "mast.config"
  local bytes = string.pack(">s4s4s4s4", tostring(r.status or 200), r.content_type or "", r.url or "", r.body)
  local ok, why = core.cache_put(key, bytes, config.get("cache_ttl"), policy.dir)
  if ok then
    counts.stores = counts.stores + 1
    core.cache_trim(policy.dir, config.get("cache_max"))
  else
    counts.write_errors = counts.write_errors + 1
    last_write_error = why
  end
end

--- mast.cache.stats() -> {dir, entries, bytes, hits, misses, stores, write_errors [, last_write_error]}
function M.stats()
  local dir = M.dir()
  local entries, bytes = 0, 0
  if dir then entries, bytes = core.cache_stats(dir) end
  return { dir = dir, entries = entries, bytes = bytes, hits = counts.hits, misses = counts.misses,
           stores = counts.stores, write_errors = counts.write_errors, last_write_error = last_write_error }
end

--- mast.cache.clear{older_than = s} -> how many entries were removed
function M.clear(opts)
  local fn = "mast.cache.clear"
  opts = opts or {}
  if type(opts) ~= "table" then O.usage(fn, "expected {older_than = seconds} or nothing, got " .. O.describe(opts)) end
  for k in pairs(opts) do
    if k ~= "older_than" then O.usage(fn, ("unknown option '%s' (known: older_than)"):format(tostring(k))) end
  end
  local older = opts.older_than
  if older ~= nil and (type(older) ~= "number" or older ~= older or older < 0 or older == math.huge) then
    O.usage(fn, "older_than must be a number of seconds, 0 or more, got " .. O.describe(older))
  end
  local dir = M.dir()
  if dir == nil then return 0 end
  return core.cache_clear(dir, older)
end

return M
