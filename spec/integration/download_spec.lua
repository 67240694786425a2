-- mast.download, download_many and bundle against the sandbox: nothing half-written, ever.
local mast = require "mast"
local core = require "mast.core"

local FILE = "/api/v0.1/Download/file"

local function exists(path) return core.stat(path) ~= nil end

local function downloads()
  local out = {}
  for _, r in ipairs(H.requests()) do
    if r.path:find("/Download/", 1, true) or r.path:find("/stpubdata/", 1, true)
       or r.path:find("/cgi-bin/", 1, true) then
      out[#out + 1] = r
    end
  end
  return out
end

describe("mast.download", function()
  local dir
  H.dir_each(function(d) dir = d end)

  -- A clean copy of a URI's content, to compare against.
  local function reference(uri) return H.fresh_copy(uri, dir) end

  it("fetches a mast: URI from <base>/api/v0.1/Download/file?uri=", function()
    local uri = "mast:SANDBOX/size/5000/hello.fits"
    local r = mast.download(uri, dir .. "/hello.fits")
    assert.equal(5000, r.bytes)
    assert.equal(200, r.status)
    assert.equal(dir .. "/hello.fits", r.path)
    assert.equal(5000, select(2, core.stat(r.path)))
    assert.is_false(exists(r.path .. ".part"))
    local log = downloads()
    assert.equal(1, #log)
    assert.equal("GET", log[1].method)
    assert.equal(FILE, log[1].path)
    assert.equal("uri=mast:SANDBOX/size/5000/hello.fits", log[1].query)
  end)

  it("fetches an http(s) URL as it is (the HLA spectra)", function()
    local url = mast.config("hla_url") .. "/cgi-bin/getdata.cgi?config=ops&dataset=hst_10188_10_acs_sbc_f122m"
    local r = mast.download(url, dir .. "/spec")
    assert.is_true(r.bytes > 0)
    local log = downloads()
    assert.equal("/cgi-bin/getdata.cgi", log[1].path)
    assert.equal("config=ops&dataset=hst_10188_10_acs_sbc_f122m", log[1].query)
  end)

  it("names the file after the product when dest is a directory", function()
    local r = mast.download("mast:SANDBOX/size/10/named.fits", dir)
    assert.equal(dir .. "/named.fits", r.path)
    assert.equal("file", core.stat(dir .. "/named.fits"))
  end)

  it("refuses what is not a mast: URI or an http(s) URL, and bad options", function()
    H.raises("usage", mast.download, "ftp://x/y", dir .. "/y")
    H.raises("usage", mast.download, 42, dir .. "/y")
    H.raises("usage", mast.download, "mast:SANDBOX/size/1/a", "")
    local e = H.raises("usage", mast.download, "mast:SANDBOX/size/1/a", dir .. "/a", { sise = 1 })
    assert.matches("unknown option 'sise'", e.message)
    assert.equal(0, #downloads())
  end)

  it("resumes a .part left by a transfer killed mid-body; the result is byte-identical", function()
    local uri = "mast:SANDBOX/size/300000/resume.fits"
    local dest = dir .. "/resume.fits"
    mast.config { retries = 0 }
    H.faults { { kind = "drop", after_bytes = 100000, times = 1, match = { uri = "resume.fits" } } }
    local e = H.raises("network", mast.download, uri, dest, { size = 300000 })
    assert.matches("resume%.fits", e.message)
    assert.is_false(exists(dest))
    local kind, have = core.stat(dest .. ".part")
    assert.equal("file", kind)
    assert.is_true(have > 0 and have < 300000)
    local r = mast.download(uri, dest, { size = 300000 })
    assert.is_true(r.resumed)
    assert.is_false(exists(dest .. ".part"))
    local log = downloads()
    assert.equal("bytes=" .. have .. "-", log[#log].headers["range"])
    assert.equal(reference(uri), H.read(dest))
  end)

  it("resumes within one call when the connection drops (retries continue the .part)", function()
    local uri = "mast:SANDBOX/size/200000/retry.fits"
    H.faults { { kind = "drop", after_bytes = 50000, times = 2, match = { uri = "retry.fits" } } }
    local r = mast.download(uri, dir .. "/retry.fits", { size = 200000 })
    assert.equal(200000, r.bytes)
    assert.equal(reference(uri), H.read(dir .. "/retry.fits"))
    local ranged = 0
    for _, q in ipairs(downloads()) do if q.headers["range"] then ranged = ranged + 1 end end
    assert.is_true(ranged >= 2)
  end)

  it("keeps retrying a download each attempt takes further, and gives up on one that gets nowhere", function()
    -- every connection is cut after 200 kB: 1 MB takes 5 or more attempts, each resuming further on;
    -- retries = 1 bounds the attempts in a row that add nothing, not all of them
    mast.config { retries = 1 }
    local uri = "mast:SANDBOX/size/1000000/far.fits"
    H.faults { { kind = "drop", after_bytes = 200000, times = -1, match = { uri = "far.fits" } } }
    local r = mast.download(uri, dir .. "/far.fits", { size = 1000000 })
    assert.equal(1000000, r.bytes)
    local attempts = #downloads()
    assert.is_true(attempts >= 5, "attempts: " .. attempts)
    assert.equal(reference(uri), H.read(dir .. "/far.fits"))
    -- two attempts that get 200 kB further, then cuts after 30 kB each time: attempts that get less
    -- than 64 kB further count as failing
    H.faults { { kind = "drop", after_bytes = 200000, times = 2, match = { uri = "nowhere.fits" } },
               { kind = "drop", after_bytes = 30000, times = -1, match = { uri = "nowhere.fits" } } }
    local e = H.raises("network", mast.download, "mast:SANDBOX/size/1000000/nowhere.fits", dir .. "/nowhere.fits",
      { size = 1000000 })
    assert.matches("gave up after 3 attempts, the last 2 without getting 64 KB further", e.message, 1, true)
  end)

  it("restarts cleanly when the server ignores the range (200, not 206)", function()
    local uri = "mast:SANDBOX/size/150000/norange.fits"
    local dest = dir .. "/norange.fits"
    H.write(dest .. ".part", string.rep("X", 70000))   -- stale bytes that must not survive
    H.faults { { kind = "ignore_range", times = -1, match = { uri = "norange.fits" } } }
    local r = mast.download(uri, dest, { size = 150000 })
    assert.equal(150000, r.bytes)
    H.reset()
    assert.equal(reference(uri), H.read(dest))
  end)

  it("never leaves a file at dest, nor an empty .part, when the download fails", function()
    local dest = dir .. "/missing.fits"
    local e = H.raises("http", mast.download, "mast:SANDBOX/missing/missing.fits", dest)
    assert.equal(404, e.status)
    assert.matches("mast:SANDBOX/missing/missing%.fits", e.message)
    assert.is_false(exists(dest))
    assert.is_false(exists(dest .. ".part"))   -- nothing to resume: no litter either
  end)

  it("checks the length against Content-Length (a server that lies)", function()
    mast.config { retries = 0 }
    local dest = dir .. "/lie.fits"
    H.faults { { kind = "length_lie", times = 1, match = { uri = "lie.fits" } } }
    H.raises("network", mast.download, "mast:SANDBOX/size/1000/lie.fits", dest)
    assert.is_false(exists(dest))
  end)

  it("checks the length against the product's size and keeps nothing wrong", function()
    local dest = dir .. "/size.fits"
    local e = H.raises("io", mast.download, "mast:SANDBOX/size/1000/size.fits", dest, { size = 999 })
    assert.matches("received 1000 bytes but the product's size is 999 bytes", e.message)
    assert.is_false(exists(dest))
    assert.is_false(exists(dest .. ".part"))
  end)

  it("checks a download without Content-Length against the size given", function()
    local r = mast.download("mast:SANDBOX/dynamic/4096/dyn.fits", dir .. "/dyn.fits", { size = 4096 })
    assert.equal(4096, r.bytes)
    H.raises("io", mast.download, "mast:SANDBOX/dynamic/4096/dyn2.fits", dir .. "/dyn2.fits", { size = 5000 })
    assert.is_false(exists(dir .. "/dyn2.fits"))
  end)

  it("skips a complete dest without touching the network, unless told to overwrite", function()
    local uri, dest = "mast:SANDBOX/size/2048/skip.fits", dir .. "/skip.fits"
    mast.download(uri, dest, { size = 2048 })
    H.reset()
    local r = mast.download(uri, dest, { size = 2048 })
    assert.is_true(r.skipped)
    assert.equal(0, #downloads())
    r = mast.download(uri, dest, { size = 2048, overwrite = true })
    assert.is_false(r.skipped)
    assert.equal(1, #downloads())
  end)

  it("follows a redirect, sending the token to MAST but never to the redirect's target", function()
    mast.config { token = "sandbox-token" }
    local uri = "mast:SANDBOX/redirect/3000/moved.fits"
    local r = mast.download(uri, dir .. "/moved.fits", { size = 3000 })
    assert.equal(3000, r.bytes)
    local log = downloads()
    assert.equal(2, #log)
    assert.equal("main", log[1].listener)
    assert.equal("token sandbox-token", log[1].headers["authorization"])
    assert.equal("alt", log[2].listener)
    assert.is_nil(log[2].headers["authorization"])
    assert.matches("^http://127%.0%.0%.2:", r.url)
  end)

  it("retries 503s as mast.query does", function()
    H.faults { { kind = "status", status = 503, times = 2, match = { path = FILE } } }
    local r = mast.download("mast:SANDBOX/size/100/busy.fits", dir .. "/busy.fits")
    assert.equal(100, r.bytes)
    assert.equal(3, #downloads())
  end)

  it("explains a 401: the file is exclusive-access and how to give a token", function()
    local e = H.raises("http", mast.download, "mast:SANDBOX/eap/100/secret.fits", dir .. "/secret.fits")
    assert.equal(401, e.status)
    assert.matches("HTTP 401 Unauthorized", e.message)
    -- the advice is mast.download's (a mast: URI), not the C engine's
    assert.is_nil(e.message:find("exclusive access", 1, true))
    assert.matches("exclusive access", e.hint)
    assert.matches("exclusive access", tostring(e))
    assert.matches("MAST_API_TOKEN", tostring(e))
    assert.is_false(exists(dir .. "/secret.fits"))
    mast.config { token = "sandbox-token" }
    assert.equal(100, mast.download("mast:SANDBOX/eap/100/secret.fits", dir .. "/secret.fits").bytes)
  end)

  it("tells a progress callback of the bytes", function()
    local seen = {}
    mast.download("mast:SANDBOX/size/2000000/big.fits", dir .. "/big.fits", {
      progress = function(p) seen[#seen + 1] = p end,
    })
    assert.is_true(#seen >= 1)
    local last = seen[#seen]
    assert.equal(2000000, last.bytes)
    assert.equal(2000000, last.bytes_total)
  end)

  it("aborts cleanly when the progress callback raises an error", function()
    H.faults { { kind = "latency", ms = 300, times = -1, match = { uri = "cb.fits" } } }
    local dest = dir .. "/cb.fits"
    local e = H.raises("callback", mast.download, "mast:SANDBOX/size/100000/cb.fits", dest, {
      progress = function() error("stop right there") end,
    })
    assert.matches("stop right there", tostring(e))
    assert.matches("stop right there", tostring(e.cause))
    assert.is_false(exists(dest))
  end)

  it("raises a progress callback's error even when it comes after the transfer finished", function()
    local dest = dir .. "/late.fits"
    local e = H.raises("callback", mast.download, "mast:SANDBOX/size/1000/late.fits", dest, {
      progress = function(p) if p.done == p.total then error("too late") end end,
    })
    assert.matches("after the transfers had finished", e.message)
    assert.matches("too late", tostring(e.cause))
    assert.equal(1000, select(2, core.stat(dest)))   -- the file itself is complete
  end)

  it("stops on a stalled transfer after the timeout and resumes it later", function()
    mast.config { timeout = 1, retries = 0 }
    local uri, dest = "mast:SANDBOX/size/120000/stall.fits", dir .. "/stall.fits"
    H.faults { { kind = "stall", after_bytes = 60000, seconds = 20, times = 1, match = { uri = "stall.fits" } } }
    H.raises("timeout", mast.download, uri, dest)
    assert.is_false(exists(dest))
    local r = mast.download(uri, dest, { size = 120000 })
    assert.is_true(r.resumed)
    assert.equal(reference(uri), H.read(dest))
  end)

  it("refuses to write into a read-only directory, leaving nothing", function()
    if H.sh("id -u") == 0 and select(2, H.sh("id -u")):match("^0") then
      -- root ignores permissions: use a path below a regular file instead
      H.write(dir .. "/plain", "x")
      local e = H.raises("io", mast.download, "mast:SANDBOX/size/10/ro.fits", dir .. "/plain/ro.fits")
      assert.matches("plain", e.message)
    else
      os.execute("chmod 555 " .. H.quote(dir))
      H.raises("io", mast.download, "mast:SANDBOX/size/10/ro.fits", dir .. "/ro.fits")
      os.execute("chmod 755 " .. H.quote(dir))
    end
    assert.is_false(exists(dir .. "/ro.fits"))
  end)
end)

describe("mast.download_many", function()
  local dir
  H.dir_each(function(d) dir = d end)

  it("runs transfers concurrently and returns one result per item; a failure stops nothing", function()
    local items = {}
    for i = 1, 8 do
      items[i] = { uri = ("mast:SANDBOX/size/%d/f%d.fits"):format(10000 + i, i), dest = dir .. "/f" .. i .. ".fits",
                   size = 10000 + i }
    end
    items[4] = { uri = "mast:SANDBOX/missing/nope.fits", dest = dir .. "/nope.fits" }
    local results = mast.download_many(items, { concurrency = 3 })
    assert.equal(8, #results)
    for i, r in ipairs(results) do
      if i == 4 then
        assert.is_false(r.ok)
        assert.equal("http", r.error.code)
        assert.equal(404, r.error.status)
        assert.is_false(exists(dir .. "/nope.fits"))
      else
        assert.is_true(r.ok, tostring(r.error))
        assert.equal(10000 + i, r.bytes)
        assert.equal(items[i].dest, r.path)
        assert.equal(10000 + i, select(2, core.stat(r.path)))
      end
    end
    -- the transfers overlapped on a few kept-alive connections
    local conns = {}
    for _, q in ipairs(downloads()) do conns[q.conn] = true end
    local n = 0
    for _ in pairs(conns) do n = n + 1 end
    assert.is_true(n >= 2 and n <= 3, "connections used: " .. n)
  end)
end)

describe("mast.bundle", function()
  local dir
  H.dir_each(function(d) dir = d end)

  local uris = { "mast:SANDBOX/size/1000/a.fits", "mast:SANDBOX/size/2000/b.fits" }

  for _, fmt in ipairs({ "tar.gz", "zip" }) do
    it("POSTs repeated uri= fields to bundle." .. fmt .. " and unpacks the archive", function()
      local dest = dir .. "/bundle." .. fmt
      local r = mast.bundle(uris, dest, { extract = dir .. "/out" })
      assert.is_true(r.bytes > 0)
      assert.is_false(exists(dest .. ".part"))
      local q = downloads()[1]
      assert.equal("POST", q.method)
      assert.equal("/api/v0.1/Download/bundle." .. fmt, q.path)
      assert.equal("uri=mast%3ASANDBOX%2Fsize%2F1000%2Fa.fits&uri=mast%3ASANDBOX%2Fsize%2F2000%2Fb.fits", q.body)
      local sizes = {}
      for _, f in ipairs(r.files) do sizes[f.path:match("[^/]+$")] = f.size end
      assert.equal(1000, sizes["a.fits"])
      assert.equal(2000, sizes["b.fits"])
      for _, f in ipairs(r.files) do assert.equal("file", core.stat(f.path)) end
    end)
  end

  it("takes the archive type from opts.format, or refuses to guess", function()
    mast.bundle(uris, dir .. "/b.bin", { format = "zip" })
    assert.equal("/api/v0.1/Download/bundle.zip", downloads()[1].path)
    local e = H.raises("usage", mast.bundle, uris, dir .. "/b.bin")
    assert.matches("end it in %.tar%.gz or %.zip", e.message)
  end)

  for _, kind in ipairs({ "absolute", "dotdot", "symlink", "hardlink" }) do
    it("refuses an archive with a hostile entry (" .. kind .. ") and extracts nothing", function()
      local dest = dir .. "/hostile.tar.gz"
      local e = H.raises("io", mast.bundle, { "mast:SANDBOX/size/10/ok.fits", "mast:SANDBOX/hostile/" .. kind },
        dest, { extract = dir .. "/out" })
      assert.matches("refusing to extract", e.message)
      assert.matches("nothing was extracted", e.message)
      assert.is_nil(core.stat(dir .. "/out/mastDownload"))
      local ok = os.execute("test -z \"$(ls -A " .. H.quote(dir .. "/out") .. " 2>/dev/null)\"")
      assert.is_true(ok)
    end)
  end
end)
