--- mast.diskcache: small answers (column configurations) kept on disk between runs.
-- Where: the setting cache_dir (MAST_CACHE_DIR; default $XDG_CACHE_HOME/mast or
-- ~/.cache/mast; false or "" turns it off). The files are written in C
-- (src/bind/lcache.c: format, checks, atomic renames); this is the checked
-- interface the modules use. A cache is a convenience: a disk that cannot be
-- written or read is a miss, never an error.
local core = require "mast.core"
local O = require "mast.options"

local M = { _NAME = "mast.diskcache" }

local function check_key(fn, key)
  if type(key) ~= "string" or key == "" then
    O.usage(fn, "the key must be a non-empty string, got " .. O.describe(key))
  end
end

--- The directory entries are kept in, or nil when the cache is off (no
-- cache_dir, or one outside the host's download root).
function M.dir()
  return core.cache_dir()
end

--- The bytes put under key and not yet expired, or nil.
function M.get(key)
  check_key("mast.diskcache.get", key)
  return core.cache_get(key)
end

--- Keeps bytes under key for ttl seconds. true, or false and why it was
-- skipped (the cache is off, or the disk refused).
function M.put(key, bytes, ttl)
  local fn = "mast.diskcache.put"
  check_key(fn, key)
  if type(bytes) ~= "string" then O.usage(fn, "the bytes must be a string, got " .. O.describe(bytes)) end
  if type(ttl) ~= "number" or ttl ~= ttl or ttl <= 0 or ttl == math.huge then
    O.usage(fn, "ttl must be a positive number of seconds, got " .. O.describe(ttl))
  end
  return core.cache_put(key, bytes, ttl)
end

--- Removes every entry (and any writer's leftover .part); the number removed.
-- Other files in the directory are left alone.
function M.clear()
  return core.cache_clear()
end

return M
