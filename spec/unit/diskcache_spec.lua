-- mast.diskcache: entries on disk between runs, checked before they are believed.
local mast = require "mast"
local diskcache = require "mast.diskcache"

local function entries(dir)
  local p = io.popen("ls -A " .. H.quote(dir) .. " 2>/dev/null")
  local list = {}
  for name in p:lines() do list[#list + 1] = name end
  p:close()
  table.sort(list)
  return list
end

local function mode(path)
  local p = io.popen("stat -c %a " .. H.quote(path))
  local m = p:read("l")
  p:close()
  return m
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- Runs a script with build/mast and the given environment; its stdout.
local function run_with(env, script)
  local file = H.tmpname()
  H.write(file, script)
  local code, out, err = H.sh(("env -u MAST_CACHE_DIR -u XDG_CACHE_HOME %s %s %s"):format(env, H.quote(H.bin),
    H.quote(file)))
  os.remove(file)
  assert(code == 0, err)
  return out
end

describe("mast.diskcache", function()
  local saved, root, dir
  before_each(function()
    saved = mast.config("cache_dir")
    root = H.tmpdir()
    dir = root .. "/cache"
    mast.config { cache_dir = dir }
  end)
  after_each(function()
    mast.config { cache_dir = saved or false }
    os.execute("rm -rf " .. H.quote(root))
  end)

  local function only_entry()
    local list = entries(dir)
    assert.equal(1, #list, table.concat(list, " "))
    return dir .. "/" .. list[1]
  end

  it("gives back what was put", function()
    local body = "{\"data\": [1, 2, 3]}\0\255\n" .. ("x"):rep(100000)
    assert.is_true(diskcache.put("columns Mast.Caom.Cone", body, 3600))
    assert.equal(body, diskcache.get("columns Mast.Caom.Cone"))
    assert.is_nil(diskcache.get("columns Mast.Caom.Filtered"))
    assert.equal(dir, diskcache.dir())
    assert.is_true(diskcache.put("empty", "", 60))
    assert.equal("", diskcache.get("empty"))
  end)

  it("replaces an entry put again, and keeps keys apart", function()
    diskcache.put("a", "first", 60)
    diskcache.put("b", "other", 60)
    diskcache.put("a", "second", 60)
    assert.equal("second", diskcache.get("a"))
    assert.equal("other", diskcache.get("b"))
    assert.equal(2, #entries(dir))
  end)

  it("names an entry by the SHA-256 of its key, in a private directory and file", function()
    diskcache.put("abc", "body", 60)
    local path = dir .. "/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert.equal(path, only_entry())
    assert.equal("600", mode(path))
    assert.equal("700", mode(dir))
    local header = H.read(path):match("^[^\n]*")
    local version, expires, klen, blen, sum = header:match("^mast%-cache (%d+) (%d+) (%d+) (%d+) (%x+)$")
    assert.equal("1", version)
    assert.is_true(math.abs(tonumber(expires) - (os.time() + 60)) <= 2, header)
    assert.equal("3", klen)
    assert.equal("4", blen)
    assert.equal(16, #sum)
  end)

  it("keeps keys of any bytes inside its directory", function()
    local keys = { "../../etc/passwd", "/", "a\0b", "a\0c", "line\nbreak", "\255\254", ("k"):rep(20000) }
    for i, k in ipairs(keys) do assert.is_true(diskcache.put(k, "v" .. i, 60)) end
    for i, k in ipairs(keys) do assert.equal("v" .. i, diskcache.get(k)) end
    local list = entries(dir)
    assert.equal(#keys, #list)
    for _, name in ipairs(list) do assert.matches("^%x+$", name) assert.equal(64, #name) end
  end)

  describe("believes nothing it has not checked", function()
    local path
    before_each(function()
      diskcache.put("key", "the body of the entry", 60)
      path = only_entry()
    end)

    local function damage(f)
      H.write(path, f(H.read(path)))
    end

    it("an expired entry is nil, and removed", function()
      damage(function(s) return (s:gsub("^(mast%-cache 1 )%d+", "%1" .. (os.time() - 1))) end)
      assert.is_nil(diskcache.get("key"))
      assert.is_false(exists(path))
    end)

    it("a changed byte of the body is nil, and removed", function()
      damage(function(s) return s:sub(1, -2) .. "X" end)
      assert.is_nil(diskcache.get("key"))
      assert.is_false(exists(path))
    end)

    it("a truncated entry is nil, and removed", function()
      damage(function(s) return s:sub(1, -5) end)
      assert.is_nil(diskcache.get("key"))
      assert.is_false(exists(path))
    end)

    it("an entry grown at its end is nil", function()
      damage(function(s) return s .. "more" end)
      assert.is_nil(diskcache.get("key"))
    end)

    it("a damaged header is nil", function()
      for _, bad in ipairs({ "", "garbage", "mast-cache 1 x", "mast-cache 1 99999999999 3 21 zz\n" }) do
        H.write(path, bad)
        assert.is_nil(diskcache.get("key"), bad)
      end
    end)

    it("any one byte changed gives nil or the body put, never other bytes", function()
      local good = H.read(path)
      for i = 1, #good do
        local b = good:byte(i)
        H.write(path, good:sub(1, i - 1) .. string.char((b + 1) % 256) .. good:sub(i + 1))
        local v = diskcache.get("key")
        assert.is_true(v == nil or v == "the body of the entry", "byte " .. i)
      end
    end)

    it("an entry of another format version is nil, and left alone", function()
      damage(function(s) return (s:gsub("^mast%-cache 1 ", "mast-cache 2 ")) end)
      assert.is_nil(diskcache.get("key"))
      assert.is_true(exists(path))
    end)

    it("an entry whose stored key differs is nil (two keys, one name)", function()
      damage(function(s) return (s:gsub("\nkey", "\nkez")) end)
      assert.is_nil(diskcache.get("key"))
    end)
  end)

  it("is off with cache_dir false or empty", function()
    for _, off in ipairs({ false, "" }) do
      mast.config { cache_dir = off }
      assert.is_nil(diskcache.dir())
      local ok, why = diskcache.put("k", "v", 60)
      assert.is_false(ok)
      assert.matches("off", why)
      assert.is_nil(diskcache.get("k"))
      assert.equal(0, diskcache.clear())
    end
    assert.same({}, entries(root))
  end)

  it("skips a put the disk refuses, without raising", function()
    H.write(root .. "/file", "")
    mast.config { cache_dir = root .. "/file/cache" }
    local ok, why = diskcache.put("k", "v", 60)
    assert.is_false(ok)
    assert.matches("cache directory", why)
    assert.is_nil(diskcache.get("k"))
  end)

  it("evicts the least recently used first, to the nanosecond of its last use", function()
    local core = require "mast.core"
    local function used(key, at)
      assert(os.execute(("touch -m -d %s %s"):format(H.quote(at), H.quote(dir .. "/" .. core.sha256(key)))))
    end
    local function both()
      assert.is_true(core.cache_put("a", ("1"):rep(1000), 60, dir))
      assert.is_true(core.cache_put("b", ("2"):rep(1000), 60, dir))
      return (select(2, core.cache_stats(dir)))
    end
    -- last used within one second, in either order: the earlier goes
    for _, order in ipairs { { "a", "b" }, { "b", "a" } } do
      local older, newer = order[1], order[2]
      local size = both()
      used(older, "2026-01-01 00:00:00.100000000")
      used(newer, "2026-01-01 00:00:00.900000000")
      assert.equal(1, core.cache_trim(dir, size - 1))   -- room for one
      assert.is_nil(core.cache_get(older, dir), older .. " was used first")
      assert.is_string(core.cache_get(newer, dir))
      core.cache_clear(dir)
    end
    -- a hit is a use, and hits moments apart keep their order
    for _, order in ipairs { { "a", "b" }, { "b", "a" } } do
      local size = both()
      used("a", "2026-01-01 00:00:00.500000000")
      used("b", "2026-01-01 00:00:00.500000000")
      assert.is_string(core.cache_get(order[1], dir))
      assert.is_string(core.cache_get(order[2], dir))
      assert.equal(1, core.cache_trim(dir, size - 1))
      assert.is_nil(core.cache_get(order[1], dir))
      core.cache_clear(dir)
    end
  end)

  it("clear removes its entries and leftovers, nothing else", function()
    diskcache.put("a", "1", 60)
    diskcache.put("b", "2", 60)
    local part = ("0"):rep(64) .. ".1234-0badcafe.part"
    H.write(dir .. "/" .. part, "half")
    H.write(dir .. "/notes.txt", "mine")
    H.write(dir .. "/" .. ("f"):rep(63), "not a name of ours")
    assert.equal(3, diskcache.clear())
    assert.same({ ("f"):rep(63), "notes.txt" }, entries(dir))
    assert.is_nil(diskcache.get("a"))
  end)

  it("refuses bad arguments with usage errors that name them", function()
    local function usage(f, pattern)
      local ok, err = pcall(f)
      assert.is_false(ok)
      assert.equal("usage", err.code)
      assert.matches(pattern, tostring(err))
    end
    usage(function() diskcache.get(nil) end, "key must be a non%-empty string")
    usage(function() diskcache.get("") end, "key")
    usage(function() diskcache.put("k", 5, 60) end, "bytes must be a string")
    usage(function() diskcache.put("k", "v", 0) end, "ttl must be a positive number")
    usage(function() diskcache.put("k", "v", -1) end, "ttl")
    usage(function() diskcache.put("k", "v", 0 / 0) end, "ttl")
    usage(function() diskcache.put("k", "v") end, "ttl")
  end)

  it("takes its directory from MAST_CACHE_DIR, else XDG_CACHE_HOME, else HOME", function()
    local script = "print(require('mast.diskcache').dir())"
    assert.equal(root .. "/c\n", run_with("MAST_CACHE_DIR=" .. H.quote(root .. "/c"), script))
    assert.equal("nil\n", run_with("MAST_CACHE_DIR=", script))
    assert.equal(root .. "/x/mast\n", run_with("XDG_CACHE_HOME=" .. H.quote(root .. "/x"), script))
    assert.equal(root .. "/.cache/mast\n", run_with("XDG_CACHE_HOME=relative HOME=" .. H.quote(root), script))
    assert.equal("nil\n", run_with("-u HOME", script))
  end)

  it("stays whole with many processes writing one key at once", function()
    local writer = H.tmpname()
    H.write(writer, ([[
      require("mast").config { cache_dir = %q }
      local dc = require "mast.diskcache"
      local body = arg[1]:rep(200000)
      for _ = 1, 15 do assert(dc.put("shared", body, 60)) end
    ]]):format(dir))
    local cmd = {}
    for _, c in ipairs({ "a", "b", "c", "d" }) do
      cmd[#cmd + 1] = ("%s %s %s &"):format(H.quote(H.bin), H.quote(writer), c)
    end
    local p = io.popen(table.concat(cmd, " ") .. " wait; echo done")
    local seen = 0
    local function look()
      local v = diskcache.get("shared")
      if v then
        assert.equal(200000, #v)
        assert.is_nil(v:find("[^" .. v:sub(1, 1) .. "]"), "a mixed entry")
        seen = seen + 1
      end
    end
    for _ = 1, 200 do look() end
    assert.equal("done", p:read("l"))
    p:close()
    os.remove(writer)
    look()
    assert.is_true(seen > 0)
    local list = entries(dir)
    assert.equal(1, #list, table.concat(list, " "))   -- no .part left behind
  end)
end)
