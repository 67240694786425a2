-- The fault suite: under each fault mast keeps working or fails with the
-- documented error, and loses nothing: a result that comes back is the
-- same as without the fault, a file that lands is byte-identical (by hash),
-- a failure leaves nothing at dest, and the next call works.
-- (query_spec and download_spec test each mechanism; this suite checks the
-- outcomes end to end.)
local mast = require "mast"
local core = require "mast.core"

local CONE = { service = "Mast.Caom.Cone", params = { ra = 254.28746, dec = -4.09933, radius = 0.2 } }

local function exists(path) return core.stat(path) ~= nil end

local function sha256(path)
  local code, out = H.sh("sha256sum " .. H.quote(path))
  assert.equal(0, code, "sha256sum " .. path)
  return out:match("^(%x+)")
end

-- The canonical text of a result, to compare two runs.
local function text(r) return mast.json.encode(r) end

local function elapsed(f, ...)
  local t0 = core.now()
  local ok, e = pcall(f, ...)
  return core.now() - t0, ok, e
end

-- Runs `mast -e code` under `ulimit -f blocks` (the mast program ignores
-- SIGXFSZ, so writing past the limit fails with EFBIG).
local function mast_with_file_limit(blocks, code)
  return H.sh(("ulimit -f %d; exec %s -e %s"):format(blocks, H.quote(H.bin), H.quote(code)))
end

describe("the fault suite:", function()
  local dir, clean

  setup(function()
    H.reset()
    clean = text(mast.query(CONE))
  end)

  H.dir_each(function(d) dir = d end, function(d)
    os.execute("umount " .. H.quote(d .. "/mnt") .. " 2>/dev/null")
  end)

  describe("a query", function()
    it("whose connection drops in the middle of the JSON body is retried and comes back whole", function()
      H.faults { { kind = "drop", after_bytes = 20000, times = 2, match = { path = "/api/v0/invoke" } } }
      assert.equal(clean, text(mast.query(CONE)))
      local log = H.invokes()
      assert.equal(3, #log)
      assert.equal(log[1].body, log[3].body)   -- the identical request each time
      -- without retries: a network error that names the service, then all is well
      mast.config { retries = 0 }
      H.faults { { kind = "drop", after_bytes = 20000, match = { path = "/api/v0/invoke" } } }
      local e = H.raises("network", mast.query, CONE)
      assert.matches("Mast.Caom.Cone", tostring(e), 1, true)
      assert.equal(1, e.attempts)
      assert.equal(clean, text(mast.query(CONE)))
    end)

    it("answered 503 several times, then properly, gives the same result", function()
      H.faults { { kind = "status", status = 503, times = 3, retry_after = 0,
                   match = { path = "/api/v0/invoke" } } }
      local r = mast.query(CONE)
      assert.equal(clean, text(r))
      assert.equal(4, #H.invokes())
      -- one more than the retries allow: the http error, with its status and attempts
      H.reset()
      H.faults { { kind = "status", status = 503, times = 4, match = { path = "/api/v0/invoke" } } }
      local e = H.raises("http", mast.query, CONE)
      assert.equal(503, e.status)
      assert.equal(4, e.attempts)
      assert.equal(clean, text(mast.query(CONE)))
    end)

    it("that stalls past the low-speed limit stops with a timeout error, in time", function()
      mast.config { timeout = 1, retries = 0 }
      H.faults { { kind = "stall", after_bytes = 5000, seconds = 30, match = { path = "/api/v0/invoke" } } }
      local t, ok, e = elapsed(mast.query, CONE)
      assert.is_false(ok)
      assert.is_true(core.is_error(e, "timeout"), tostring(e))
      assert.matches("stalled", e.message, 1, true)
      -- libcurl measures the speed over its last 5 s, so a stall is seen about
      -- 5 s after the last byte plus the timeout
      assert.is_true(t < 1 + 5 + 3, ("took %.1f s"):format(t))
      -- with a retry, the stall is survived
      mast.config { retries = 1 }
      H.faults { { kind = "stall", after_bytes = 5000, seconds = 30, match = { path = "/api/v0/invoke" } } }
      assert.equal(clean, text(mast.query(CONE)))
    end)

    it("answered with malformed JSON fails with a json error at once (no retry)", function()
      H.faults { { kind = "truncated_json", match = { path = "/api/v0/invoke" } } }
      local e = H.raises("json", mast.query, CONE)
      assert.matches("Mast.Caom.Cone", e.message, 1, true)
      assert.is_number(e.offset)
      assert.equal(1, #H.invokes())
      assert.equal(clean, text(mast.query(CONE)))
    end)

    it("still EXECUTING at the deadline fails with a timeout error at the deadline", function()
      H.faults { { kind = "executing", count = 1000, match = { path = "/api/v0/invoke" } } }
      local t, ok, e = elapsed(mast.query, CONE, { deadline = 1.5 })
      assert.is_false(ok)
      assert.is_true(core.is_error(e, "timeout"), tostring(e))
      assert.matches("still EXECUTING", e.message, 1, true)
      assert.is_true(t >= 0.5 and t < 3, ("took %.1f s"):format(t))
      H.reset()
      assert.equal(clean, text(mast.query(CONE)))
    end)

    it("answered status ERROR fails with a mast error carrying MAST's text, not retried", function()
      H.faults { { kind = "error", msg = "Invalid column name 'x'.", match = { path = "/api/v0/invoke" } } }
      local e = H.raises("mast", mast.query, CONE)
      assert.equal("Invalid column name 'x'.", e.msg)
      assert.equal("Mast.Caom.Cone", e.service)
      assert.equal(1, #H.invokes())
      assert.equal(clean, text(mast.query(CONE)))
    end)
  end)

  describe("a download", function()
    local URI = "mast:SANDBOX/size/6000000/cut.fits"
    local reference

    local function reference_hash()
      if not reference then
        local path = dir .. "/reference.fits"
        mast.download(URI, path)
        reference = sha256(path)
        os.remove(path)
      end
      return reference
    end

    it("cut mid-body again and again is resumed to a byte-identical file (sha256)", function()
      local want = reference_hash()
      H.reset()
      H.faults { { kind = "drop", after_bytes = 1000000, times = 3, match = { uri = "cut.fits" } } }
      local dest = dir .. "/cut.fits"
      local r = mast.download(URI, dest, { size = 6000000 })
      assert.equal(6000000, r.bytes)
      assert.is_true(r.resumed)
      assert.equal(want, sha256(dest))
      assert.is_false(exists(dest .. ".part"))
      local ranges = {}
      for _, q in ipairs(H.requests()) do
        if q.path:find("Download/file", 1, true) then ranges[#ranges + 1] = q.headers.range or "none" end
      end
      assert.same({ "none", "bytes=1000000-", "bytes=2000000-", "bytes=3000000-" }, ranges)
    end)

    it("killed mid-body is resumed by the next process to a byte-identical file (sha256)", function()
      local want = reference_hash()
      H.reset()
      H.faults { { kind = "stall", after_bytes = 2500000, seconds = 60, match = { uri = "cut.fits" } } }
      local dest = dir .. "/killed.fits"
      -- a mast program that is killed (SIGKILL) while the transfer hangs
      os.execute(("%s -e %s >/dev/null 2>&1 & pid=$!; "
        .. "for i in $(seq 100); do [ \"$(stat -c %%s %s 2>/dev/null)\" = 2500000 ] && break; sleep 0.05; done; "
        .. "kill -9 $pid; wait $pid 2>/dev/null"):format(
        H.quote(H.bin), H.quote(("mast.download(%q, %q)"):format(URI, dest)), H.quote(dest .. ".part")))
      assert.equal(2500000, select(2, core.stat(dest .. ".part")))
      assert.is_false(exists(dest))
      H.reset()
      local code, _, err = H.mast({ "-e", ("assert(mast.download(%q, %q).resumed)"):format(URI, dest) })
      assert.equal(0, code, err)
      assert.equal(want, sha256(dest))
    end)

    it("on a full disk (RLIMIT_FSIZE) fails with an io error naming the file, and nothing at dest", function()
      local dest = dir .. "/full.fits"
      local code, _, err = mast_with_file_limit(400, ("mast.download(%q, %q)"):format(URI, dest))
      assert.equal(1, code)
      assert.matches("mast: cannot write " .. dest .. ".part: File too large", err, 1, true)
      assert.is_false(exists(dest))
      -- room again: the next call resumes what was written, to the right file
      local r = mast.download(URI, dest, { size = 6000000 })
      assert.is_true(r.resumed)
      assert.equal(reference_hash(), sha256(dest))
    end)

    it("on a full disk (a small tmpfs) fails with an io error, and nothing at dest", function()
      local mnt = dir .. "/mnt"
      os.execute("mkdir -p " .. H.quote(mnt))
      if H.sh("mount -t tmpfs -o size=1m tmpfs " .. H.quote(mnt)) ~= 0 then
        H.missing("cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN); RLIMIT_FSIZE covers it", pending)
        return
      end
      local dest = mnt .. "/full.fits"
      local e = H.raises("io", mast.download, URI, dest)
      assert.matches("No space left on device", e.message, 1, true)
      assert.matches(dest, e.message, 1, true)
      assert.is_false(exists(dest))
      -- a bundle and its extraction fail the same way
      e = H.raises("io", mast.bundle, { URI }, mnt .. "/b.tar.gz")
      assert.matches("No space left on device", e.message, 1, true)
      assert.is_false(exists(mnt .. "/b.tar.gz"))
    end)

    it("into a read-only directory fails with an io error, and nothing at dest", function()
      local mnt = dir .. "/mnt"
      os.execute("mkdir -p " .. H.quote(mnt))
      local ro
      if H.sh("mount -t tmpfs -o ro,size=1m tmpfs " .. H.quote(mnt)) == 0 then
        ro = "Read-only file system"
      elseif select(2, H.sh("id -u")):match("^0") then
        H.missing("root, and no read-only mount possible: download_spec covers a path below a file", pending)
        return
      else
        os.execute("chmod 555 " .. H.quote(mnt))
        ro = "Permission denied"
      end
      local dest = mnt .. "/ro.fits"
      local e = H.raises("io", mast.download, "mast:SANDBOX/size/1000/ro.fits", dest)
      assert.matches(ro, e.message, 1, true)
      assert.matches(dest, e.message, 1, true)
      assert.is_false(exists(dest))
      local manifest = mast.download_products({ { obs_collection = "HST", obs_id = "x",
        productFilename = "ro.fits", dataURI = "mast:SANDBOX/size/1000/ro.fits", size = 1000 } }, mnt,
        { progress = false })
      assert.equal("ERROR", manifest[1].status)
      assert.matches(ro, manifest[1].message, 1, true)
    end)

    it("whose progress callback raises an error stops (no unwinding through libcurl); the next works", function()
      local big = "mast:SANDBOX/size/500000000/abort.fits"
      local dest, calls = dir .. "/abort.fits", 0
      local cause = setmetatable({}, { __tostring = function() return "a table as the error" end })
      local e = H.raises("callback", mast.download, big, dest, {
        progress = function(p)
          calls = calls + 1
          if p.bytes > 0 then error(cause) end
        end,
      })
      assert.equal(cause, e.cause)
      assert.matches("a table as the error", tostring(e), 1, true)
      assert.is_false(exists(dest))
      -- it stopped: far less than the 500 MB arrived
      local part = select(2, core.stat(dest .. ".part")) or 0
      assert.is_true(part < 200000000, ("%d bytes were written"):format(part))
      -- every item of a batch fails the same way, with nothing at any dest
      local items = {}
      for i = 1, 3 do items[i] = { uri = "mast:SANDBOX/size/3000000/m" .. i .. ".fits", dest = dir .. "/m" .. i } end
      H.faults { { kind = "latency", ms = 400, times = 3, match = { uri = "/m" } } }
      local results = mast.download_many(items, { progress = function() error("stop") end })
      for i, r in ipairs(results) do
        assert.is_false(r.ok)
        assert.equal("callback", r.error.code)
        assert.is_false(exists(items[i].dest))
      end
      -- the multi handle is intact: the next transfers work, and resume
      local r = mast.download(big:gsub("500000000", "3000000"), dest .. "2")
      assert.equal(3000000, r.bytes)
      assert.equal(clean, text(mast.query(CONE)))
      assert.equal(3000000, mast.download_many(items)[1].bytes)
    end)
  end)
end)
