-- The query cache (mast.cache) against the sandbox: hits send nothing, only
-- final answers are kept, damaged entries are refetched, many processes share it.
local mast = require "mast"
local core = require "mast.core"

local CONE = { service = "Mast.Caom.Cone", params = { ra = 254.28746, dec = -4.09933, radius = 0.2 },
               format = "json", pagesize = 10, page = 1 }

local function cone(ra)
  local c = { service = CONE.service, params = { ra = ra, dec = -4.09933, radius = 0.2 }, format = "json",
              pagesize = 10, page = 1 }
  return c
end

local function ids(r)
  local out = {}
  for i, row in ipairs(r.data) do out[i] = row.obsid end
  return table.concat(out, ",")
end

local function entries(dir)
  local code, out = H.sh("(ls " .. H.quote(dir) .. " 2>/dev/null | grep -E '^[0-9a-f]{64}$' || true)")
  assert.equal(0, code)
  local list = {}
  for name in out:gmatch("[^\n]+") do list[#list + 1] = dir .. "/" .. name end
  return list
end

local function mode_of(path)
  local _, out = H.sh("stat -c %a " .. H.quote(path))
  return (out:gsub("%s+$", ""))
end

-- The Unix second an entry's header says it expires (lcache.c's format).
local function expires_of(path)
  return assert(math.tointeger(tonumber(H.read(path):match("^mast%-cache 1 (%d+) "))))
end

-- Runs a script in a new mast process with env added (and the cache's
-- variables unset unless given); its stdout.
local function child(env, script)
  local file = H.tmpdir() .. "/child.lua"
  H.write(file, "local mast = require 'mast'\n" .. script)
  local parts = { "env -u MAST_CACHE -u MAST_CACHE_TTL -u MAST_CACHE_MAX -u MAST_CACHE_DIR" }
  for k, v in pairs(env) do parts[#parts + 1] = k .. "=" .. H.quote(v) end
  parts[#parts + 1] = H.quote(H.bin) .. " " .. H.quote(file)
  local code, out, err = H.sh(table.concat(parts, " "))
  assert(code == 0, err)
  return out
end

-- A script's line querying the cone at ra.
local function cone_line(ra)
  return ("mast.query{service = 'Mast.Caom.Cone', params = {ra = %s, dec = -4.09933, radius = 0.2}, "
    .. "format = 'json', pagesize = 10, page = 1}\n"):format(ra)
end

local STATS = "local st = mast.cache.stats()\n"
  .. "print(st.dir, st.entries, st.hits, st.stores, st.write_errors)\n"

describe("the query cache", function()
  local dir
  before_each(function()
    H.reset()
    dir = H.tmpdir() .. "/qcache"
    mast.config { cache = false, cache_ttl = 86400, cache_max = 1e9 }
  end)
  after_each(function()
    mast.config { cache = false }
    core.config("token", nil)
  end)

  it("is off by default: the same query twice is sent twice", function()
    assert.equal(false, mast.config("cache"))
    mast.query(CONE)
    mast.query(CONE)
    assert.equal(2, #H.invokes())
  end)

  it("answers a repeated query with no request at all, the same answer", function()
    mast.config { cache = dir }
    local before = mast.cache.stats()
    local a = mast.query(CONE)
    assert.equal(1, #H.invokes())
    local n = #H.requests()
    local b = mast.query(CONE)
    assert.equal(n, #H.requests())            -- no network round trip
    assert.equal(ids(a), ids(b))
    assert.equal(#a.data, #b.data)
    assert.same(a.fields, b.fields)
    local st = mast.cache.stats()
    assert.equal(dir, st.dir)
    assert.equal(1, st.entries)
    assert.is_true(st.bytes > 0)
    assert.equal(before.hits + 1, st.hits)
    assert.equal(before.misses + 1, st.misses)
    -- a wrapper takes the cache too, and opts.cache per call
    mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.2 }
    n = #H.invokes()
    mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.2 }
    assert.equal(n, #H.invokes())
    mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.2, cache = false }
    assert.equal(n + 1, #H.invokes())
    mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.2, cache = "refresh" }
    assert.equal(n + 2, #H.invokes())
    H.raises("usage", mast.query, CONE, { cache = "yes" })
  end)

  it("gives query_all's pages from one fetch, never pages kept at different times", function()
    mast.config { cache = dir }
    local q = cone(254.28746)
    local a = mast.query_all(q, { pagesize = 40 })
    local pages = #H.invokes()
    assert.is_true(pages >= 4, "pages: " .. pages)
    assert.equal(pages, #entries(dir))
    mast.query_all(q, { pagesize = 40 })
    assert.equal(pages, #H.invokes())                 -- every page from the cache
    -- one page's entry goes (evicted, expired): all the pages are fetched again,
    -- whichever it was (page 1, or one of the others)
    for round = 1, 2 do
      local list = entries(dir)
      table.sort(list)
      os.remove(list[round == 1 and 1 or #list])
      local n = #H.invokes()
      local b = mast.query_all(q, { pagesize = 40 })
      assert.is_true(#H.invokes() - n >= pages, ("round %d: %d requests for %d pages"):format(round,
        #H.invokes() - n, pages))
      assert.equal(ids(a), ids(b))
      assert.equal(pages, #entries(dir))
      n = #H.invokes()
      mast.query_all(q, { pagesize = 40 })
      assert.equal(n, #H.invokes())                   -- and kept together again
    end
  end)

  it("keeps only the final answer: never EXECUTING, an ERROR or a failed transfer", function()
    mast.config { cache = dir }
    H.settings { executing = 2 }
    local a = mast.query(CONE)
    assert.equal("COMPLETE", a.status)
    assert.equal(3, #H.invokes())               -- two EXECUTING, then the answer
    assert.equal(1, #entries(dir))
    local b = mast.query(CONE)
    assert.equal(3, #H.invokes())
    assert.equal("COMPLETE", b.status)
    assert.equal(ids(a), ids(b))
    H.settings { executing = 0 }
    -- an ERROR answer: asked again, not kept
    local bad = { service = "Mast.No.Such.Service", params = {}, format = "json" }
    pcall(mast.query, bad)
    pcall(mast.query, bad)
    assert.equal(5, #H.invokes())
    assert.equal(1, #entries(dir))
    -- a failed transfer: not kept
    H.faults { { kind = "status", status = 500, times = 10 } }
    core.config("retries", 0)
    pcall(mast.query, cone(10))
    assert.equal(1, #entries(dir))
  end)

  it("keys a token's answers by a keyed hash of it, never the token, in private files", function()
    mast.config { cache = dir }
    mast.query(CONE)
    core.config("token", "sandbox-token")
    mast.query(CONE)                             -- another identity: a miss
    assert.equal(2, #H.invokes())
    mast.query(CONE)
    assert.equal(2, #H.invokes())
    local id = core.token_identity()
    assert.equal(64, #id)
    assert.is_nil(id:find("sandbox-token", 1, true))
    local code = H.sh("grep -rq sandbox-token " .. H.quote(dir))
    assert.is_not.equal(0, code)                 -- nowhere in the cache
    assert.equal("700", mode_of(dir))
    for _, f in ipairs(entries(dir)) do assert.equal("600", mode_of(f)) end
  end)

  it("refetches a truncated or a bit-flipped entry and never returns it", function()
    mast.config { cache = dir }
    local a = mast.query(CONE)
    local f = entries(dir)[1]
    local whole = H.read(f)
    H.write(f, whole:sub(1, #whole - 100))        -- truncated
    local b = mast.query(CONE)
    assert.equal(2, #H.invokes())
    assert.equal(ids(a), ids(b))
    whole = H.read(f)
    local at = #whole - 50
    H.write(f, whole:sub(1, at - 1) .. string.char(whole:byte(at) ~ 1) .. whole:sub(at + 1))   -- one bit
    local c = mast.query(CONE)
    assert.equal(3, #H.invokes())
    assert.equal(ids(a), ids(c))
    mast.query(CONE)
    assert.equal(3, #H.invokes())                 -- the refetched entry is good again
  end)

  it("clears by age and keeps under its size cap, least recently used first", function()
    mast.config { cache = dir }
    for i = 1, 3 do mast.query(cone(250 + i)) end
    assert.equal(3, mast.cache.stats().entries)
    assert.equal(0, mast.cache.clear { older_than = 3600 })
    H.sh("touch -d '2 hours ago' " .. H.quote(dir) .. "/*")
    mast.query(cone(251))                         -- a hit touches its entry
    assert.equal(2, mast.cache.clear { older_than = 3600 })
    assert.equal(1, mast.cache.stats().entries)
    local size = mast.cache.stats().bytes
    mast.config { cache_max = size * 2.5 }
    H.sh("touch -d '1 hour ago' " .. H.quote(dir) .. "/*")
    mast.query(cone(252))
    mast.query(cone(253))                         -- over the cap: the oldest goes
    local st = mast.cache.stats()
    assert.equal(2, st.entries)
    local n = #H.invokes()
    mast.query(cone(253))
    mast.query(cone(252))
    assert.equal(n, #H.invokes())
    H.raises("usage", mast.cache.clear, { older = 1 })
    H.raises("usage", mast.cache.clear, { older_than = -1 })
    assert.is_true(mast.cache.clear() >= 2)
    assert.equal(0, mast.cache.stats().entries)
  end)

  it("cache = true keeps its entries in <cache_dir>/queries", function()
    local saved = mast.config("cache_dir")
    local base = H.tmpdir() .. "/base"
    local ok, err = pcall(function()
      mast.config { cache_dir = base, cache = true }
      assert.equal(base .. "/queries", mast.cache.dir())
      local a = mast.query(CONE)
      assert.equal(base .. "/queries", mast.cache.stats().dir)
      assert.equal(1, mast.cache.stats().entries)
      assert.equal(1, #entries(base .. "/queries"))
      local n = #H.invokes()
      assert.equal(ids(a), ids(mast.query(CONE)))
      assert.equal(n, #H.invokes())
    end)
    mast.config { cache = false, cache_dir = saved or false }
    assert(ok, err)
  end)

  it("takes MAST_CACHE (a directory, or 1 for <cache_dir>/queries)", function()
    local two = cone_line(254.28746) .. cone_line(254.28746) .. STATS
    local n = #H.invokes()
    local out = child({ MAST_CACHE = dir }, two)
    assert.equal(dir .. "\t1\t1\t1\t0\n", out)
    assert.equal(n + 1, #H.invokes())                 -- the second one from the cache
    assert.equal(1, #entries(dir))
    local base = H.tmpdir() .. "/base"
    out = child({ MAST_CACHE = "1", MAST_CACHE_DIR = base }, two)
    assert.equal(base .. "/queries\t1\t1\t1\t0\n", out)
    assert.equal(n + 2, #H.invokes())
    assert.equal(1, #entries(base .. "/queries"))
    -- and this process finds what MAST_CACHE=dir kept
    mast.config { cache = dir }
    mast.query(CONE)
    assert.equal(n + 2, #H.invokes())
  end)

  it("lets an entry go after cache_ttl (mast.config or MAST_CACHE_TTL): the query is sent again", function()
    mast.config { cache = dir, cache_ttl = 1 }
    local t0 = os.time()
    mast.query(cone(201))                              -- kept for 1 s
    mast.config { cache_ttl = 3600 }
    mast.query(cone(202))                              -- kept for an hour
    child({ MAST_CACHE = dir, MAST_CACHE_TTL = "1" }, cone_line(203))
    assert.equal(3, #H.invokes())
    local short, long = {}, 0
    for _, f in ipairs(entries(dir)) do
      local e = expires_of(f)
      if e >= t0 + 3600 then long = long + 1 else short[#short + 1] = e end
    end
    assert.equal(1, long)
    assert.equal(2, #short)
    local last = math.max(short[1], short[2])
    assert.is_true(last <= os.time() + 1)            -- now + ttl, rounded up: not the default day
    -- until the last of them expires: at most a second
    while os.time() < last do core.sleep(0.05) end
    mast.query(cone(201))
    assert.equal(4, #H.invokes())                      -- expired: asked again
    mast.query(cone(202))
    assert.equal(4, #H.invokes())                      -- still good
    child({ MAST_CACHE = dir }, cone_line(203))
    assert.equal(5, #H.invokes())                      -- MAST_CACHE_TTL's entry expired too
  end)

  it("keeps under MAST_CACHE_MAX, the least recently used going first", function()
    mast.config { cache = dir }
    local sizes, total = {}, 0
    for i = 1, 3 do
      mast.query(cone(210 + i))
      local b = mast.cache.stats().bytes
      sizes[i], total = b - total, b
    end
    mast.cache.clear()
    -- room for the last two: the first is the least recently used, within the same second
    child({ MAST_CACHE = dir, MAST_CACHE_MAX = tostring(sizes[2] + sizes[3]) },
      cone_line(211) .. cone_line(212) .. cone_line(213))
    assert.equal(2, #entries(dir))
    assert.is_true(mast.cache.stats().bytes <= sizes[2] + sizes[3])
    local n = #H.invokes()
    mast.query(cone(212))
    mast.query(cone(213))
    assert.equal(n, #H.invokes())
    mast.query(cone(211))
    assert.equal(n + 1, #H.invokes())
  end)

  it("stores and reads back where the file system has no locks (flock fails with ENOLCK)", function()
    local tmp = H.tmpdir()
    H.write(tmp .. "/noflock.c", [[
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
/* flock as on an NFS mount without lockd; each call logged */
int flock(int fd, int op) {
  const char *log = getenv("NOFLOCK_LOG");
  (void)fd;
  (void)op;
  if (log != NULL) {
    int f = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (f >= 0) {
      if (write(f, "x", 1) < 0) {}
      close(f);
    }
  }
  errno = ENOLCK;
  return -1;
}
]])
    local code, _, err = H.sh(("cc -shared -fPIC -o %s %s"):format(H.quote(tmp .. "/noflock.so"),
      H.quote(tmp .. "/noflock.c")))
    assert(code == 0, err)
    local n = #H.invokes()
    -- (a sanitizer build's runtime would refuse a library preloaded before it)
    local asan = (os.getenv("ASAN_OPTIONS") or "") .. ":verify_asan_link_order=0"
    local out = child({ MAST_CACHE = dir, LD_PRELOAD = tmp .. "/noflock.so", NOFLOCK_LOG = tmp .. "/log",
                        ASAN_OPTIONS = asan },
      cone_line(254.28746) .. cone_line(254.28746) .. STATS .. [[
-- a download's shared .part still needs its lock: refused, as before
local core = require "mast.core"
local ok, e = pcall(core.open_output, ]] .. ("%q"):format(tmp .. "/download") .. [[, "resume")
print(ok, tostring(e):match("No locks available") ~= nil)
]])
    assert.equal(dir .. "\t1\t1\t1\t0\nfalse\ttrue\n", out)
    assert.equal(n + 1, #H.invokes())
    assert.is_true(#H.read(tmp .. "/log") >= 2)       -- the shim was in the way of both
    assert.equal(1, #entries(dir))
    mast.config { cache = dir }
    mast.query(CONE)                                   -- a whole entry, for anyone
    assert.equal(n + 1, #H.invokes())
  end)

  it("counts a write the disk refuses, and answers all the same", function()
    local file = H.tmpdir() .. "/a-file"
    H.write(file, "not a directory")
    mast.config { cache = file }
    local before = mast.cache.stats()
    local a = mast.query(CONE)
    local st = mast.cache.stats()
    assert.equal(before.write_errors + 1, st.write_errors)
    assert.equal(before.stores, st.stores)
    assert.matches("cache directory", st.last_write_error, 1, true)
    assert.equal(ids(mast.query(CONE, { cache = false })), ids(a))
  end)

  it("never keeps what the token or session is: login and session_info always ask MAST", function()
    mast.config { cache = dir }
    local function whoamis()
      local n = 0
      for _, r in ipairs(H.requests()) do
        if r.path == "/whoami" then n = n + 1 end
      end
      return n
    end
    local before = mast.cache.stats().stores
    assert.equal("sandbox-user", mast.login("sandbox-token").user)
    assert.equal("sandbox-user", mast.session_info().user)
    assert.equal("sandbox-user", mast.session_info().user)
    assert.equal(3, whoamis())
    assert.equal(before, mast.cache.stats().stores)
    assert.equal(0, #entries(dir))
    -- MAST stops taking the token (revoked): the next answer says so, not yesterday's
    H.faults { { match = { path = "/whoami" }, kind = "status", status = 401, times = 1 } }
    assert.is_false((pcall(mast.session_info)))
    assert.equal(4, whoamis())
    -- nor any other token or session endpoint
    local qcache = require "mast.qcache"
    assert.is_nil(qcache.key { url = "https://mast.stsci.edu/whoami" })
    assert.is_nil(qcache.key { url = "https://mast.stsci.edu/whoami/?x=1" })
    assert.is_nil(qcache.key { url = "https://auth.mast.stsci.edu/info" })
    assert.is_nil(qcache.key { url = "https://auth.mast.stsci.edu/tokens" })
    assert.is_string(qcache.key { url = "https://mast.stsci.edu/api/v0/invoke" })
  end)

  it("is safe for many processes at once, one of them killed mid-run", function()
    mast.config { cache = dir }
    -- the answers each key must get, from the sandbox itself
    local want = {}
    for k = 1, 4 do want[k] = ids(mast.query(cone(240 + k), { cache = false })) end
    mast.cache.clear()
    local script = ([[
      mast.config{cache = %q}
      local bad = 0
      local want = {%q, %q, %q, %q}
      for i = 1, tonumber(arg[2] or 40) do
        local k = (i + tonumber(arg[1])) %% 4 + 1
        local r = mast.query({service = "Mast.Caom.Cone", params = {ra = 240 + k, dec = -4.09933,
          radius = 0.2}, format = "json", pagesize = 10, page = 1},
          {cache = (i %% 7 == 0) and "refresh" or nil})
        local got = {}
        for j, row in ipairs(r.data) do got[j] = row.obsid end
        if table.concat(got, ",") ~= want[k] then bad = bad + 1 end
      end
      print(bad == 0 and "OK" or ("BAD " .. bad))
    ]]):format(dir, want[1], want[2], want[3], want[4])
    local tmp = H.tmpdir()
    H.write(tmp .. "/hammer.lua", script)
    local cmd = {}
    for p = 1, 6 do
      cmd[#cmd + 1] = ("%s %s %d > %s/out%d 2>&1 &"):format(H.quote(H.bin), H.quote(tmp .. "/hammer.lua"), p,
        H.quote(tmp), p)
    end
    -- the seventh is killed -9 while it writes
    cmd[#cmd + 1] = ("%s %s 7 100000 > /dev/null 2>&1 & victim=$!; sleep 0.5; kill -9 $victim; wait"):format(
      H.quote(H.bin), H.quote(tmp .. "/hammer.lua"))
    local code = H.sh(table.concat(cmd, "\n"))
    assert.equal(0, code)
    for p = 1, 6 do assert.matches("^OK\n", H.read(tmp .. "/out" .. p)) end
    -- and what is left is good: every key answered from the cache, correctly
    local n = #H.invokes()
    for k = 1, 4 do assert.equal(want[k], ids(mast.query(cone(240 + k)))) end
    assert.equal(n, #H.invokes())
  end)
end)
