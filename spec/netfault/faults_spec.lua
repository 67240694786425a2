-- Real network faults, made by the kernel: iptables rules and a tc qdisc on
-- the loopback of a network namespace of this run's own (spec/tools/netns-run,
-- the sandbox inside it on 127.0.0.1). For each fault: a query gives the right
-- answer or a clear error within its deadline, a download ends byte-identical
-- (resumed where it was cut), nothing hangs past the configured limits.
-- Limits are set small (timeout 1 s, connect_timeout 1 s, deadlines of seconds).
-- Run: spec/tools/netns-run -- sandbox/with-sandbox -- build/mast busted spec/netfault
local mast = require "mast"
local core = require "mast.core"

local CONE = { service = "Mast.Caom.Cone", params = { ra = 254.28746, dec = -4.09933, radius = 0.2 } }
local URI = "mast:SANDBOX/size/6000000/netfault.fits"
local SIZE = 6000000
local PORT = assert(tonumber((os.getenv("MAST_BASE_URL") or ""):match("^http://127%.0%.0%.1:(%d+)$")),
                    "MAST_BASE_URL must be the sandbox on 127.0.0.1")
local BASE = os.getenv("MAST_BASE_URL")

-- Runs a shell command that must succeed; returns its stdout.
local function run(cmd)
  local code, out, err = H.sh(cmd)
  assert(code == 0, ("%s: exit %s: %s"):format(cmd, tostring(code), err))
  return out
end

-- Never touch a host's rules: only inside netns-run's namespace, where the
-- loopback is the only interface.
local function check_namespace()
  assert(os.getenv("MAST_NETNS") == "1", "run this spec through spec/tools/netns-run")
  local links = run("ip -o link show")
  local n = select(2, links:gsub("\n", "\n"))
  assert(n == 1 and links:match("^%d+: lo:"), "more than a loopback here: not netns-run's namespace\n" .. links)
end

-- Adds one iptables rule to OUTPUT (every loopback packet passes it once).
local function rule(spec) run("iptables -A OUTPUT -o lo -p tcp " .. spec) end

-- Removes every rule and qdisc this spec set (before any sandbox control call:
-- those go through the same port).
local function clear()
  run("iptables -F OUTPUT")
  H.sh("tc qdisc del dev lo root")
end

-- Packets the rules of OUTPUT matched, in order.
local function counters()
  local out, list = run("iptables -L OUTPUT -v -x -n"), {}
  for pkts in out:gmatch("\n%s*(%d+)%s+%d+%s+%u") do list[#list + 1] = tonumber(pkts) end
  return list
end

local function sha256(path)
  return (run("sha256sum " .. H.quote(path)):match("^(%x+)"))
end

local function exists(path) return core.stat(path) ~= nil end

local function text(r) return mast.json.encode(r) end

-- Seconds f took, and pcall's results.
local function timed(f, ...)
  local t0 = core.now()
  local ok, e = pcall(f, ...)
  return core.now() - t0, ok, e
end

-- The Range headers of the downloads the sandbox saw ("none" for a whole file).
local function ranges()
  local list = {}
  for _, q in ipairs(H.requests()) do
    if q.path:find("Download/file", 1, true) then list[#list + 1] = q.headers.range or "none" end
  end
  return list
end

-- The outcome of each fault, for the closing note (printed at the end).
local outcomes = {}
local function note(fault, outcome, t) outcomes[#outcomes + 1] = ("%-44s %-64s %5.1f s"):format(fault, outcome, t) end

describe("real network faults (iptables, tc) in a namespace of the run's own:", function()
  local dir, clean, want

  setup(function()
    check_namespace()
    clear()
    H.reset()
    clean = text(mast.query(CONE))
    local d = H.tmpdir()
    mast.download(URI, d .. "/clean.fits")
    want = sha256(d .. "/clean.fits")
    os.execute("rm -rf " .. H.quote(d))
  end)

  teardown(function()
    clear()
    io.stderr:write("\nnetfault outcomes:\n", table.concat(outcomes, "\n"), "\n")
  end)

  H.dir_each(function(d)
    dir = d
    core.config("timeout", 1)           -- the stall limit
    core.config("connect_timeout", 1)
  end, function() clear() end)

  describe("connections refused", function()
    it("with nothing listening: a network error at once, naming the service and the attempts", function()
      core.config("base_url", "http://127.0.0.1:9")   -- nothing listens in this namespace but the sandbox
      local t, ok, e = timed(mast.query, CONE, { deadline = 5 })
      assert.is_false(ok)
      assert.is_true(core.is_error(e, "network"), tostring(e))
      assert.matches("Mast.Caom.Cone", tostring(e), 1, true)
      assert.equal(4, e.attempts)
      assert.is_true(t < 3, ("took %.1f s"):format(t))
      note("refused: nothing listening", "query: network, " .. e.message:sub(1, 40), t)
    end)

    it("by a REJECT with tcp-reset: a network error, nothing at dest; all well once it is gone", function()
      rule(("--dport %d -j REJECT --reject-with tcp-reset"):format(PORT))
      local t, ok, e = timed(mast.query, CONE, { deadline = 5 })
      assert.is_false(ok)
      assert.is_true(core.is_error(e, "network"), tostring(e))
      assert.is_true(t < 3, ("took %.1f s"):format(t))
      note("refused: REJECT tcp-reset on the port", "query: network, " .. e.message:sub(1, 40), t)
      local dest = dir .. "/refused.fits"
      local t2, ok2, e2 = timed(mast.download, URI, dest, { deadline = 5 })
      assert.is_false(ok2)
      assert.is_true(core.is_error(e2, "network"), tostring(e2))
      assert.is_false(exists(dest))
      note("refused: REJECT tcp-reset on the port", "download: network, nothing at dest", t2)
      assert.is_true(counters()[1] > 0)
      clear()
      assert.equal(clean, text(mast.query(CONE)))
    end)
  end)

  describe("black-holed", function()
    it("from the first packet: a clear error at the limits, never a hang", function()
      rule(("--dport %d -j DROP"):format(PORT))
      local t, ok, e = timed(mast.query, CONE, { deadline = 3 })
      assert.is_false(ok)
      assert.is_true(core.is_error(e, "timeout") or core.is_error(e, "network"), tostring(e))
      assert.is_true(t < 3 + 1, ("took %.1f s"):format(t))
      note("black hole: DROP from the SYN", ("query: %s, %s"):format(e.code, e.message:sub(1, 40)), t)
    end)

    it("mid-download (one connection, after 2 MB): the stall is seen, the download resumes byte-identical", function()
      -- the first client ACK after 2 MB of answer marks its connection (an
      -- unmarked one; the 100-byte quota lets one ACK through: one mark only),
      -- and every later packet of that connection is dropped
      rule(("--dport %d -m connmark --mark 0 -m connbytes --connbytes 2000000: --connbytes-dir reply "
            .. "--connbytes-mode bytes -m quota --quota 100 -j CONNMARK --set-mark 1"):format(PORT))
      rule("-m connmark --mark 1 -j DROP")
      local dest = dir .. "/blackhole.fits"
      local t, ok, r = timed(mast.download, URI, dest, { size = SIZE, deadline = 30 })
      assert.is_true(ok, tostring(r))
      assert.is_true(r.resumed)
      assert.equal(want, sha256(dest))
      assert.is_true(counters()[2] > 0, "nothing was dropped")
      clear()
      local rs = ranges()
      assert.equal(2, #rs, table.concat(rs, ", "))
      assert.equal("none", rs[1])
      local from = tonumber(rs[2]:match("^bytes=(%d+)%-$"))
      assert.is_true(from >= 2000000 - 200000 and from < SIZE, rs[2])
      note("black hole: DROP one connection after 2 MB", "download: resumed from " .. from .. ", sha256 equal", t)
    end)

    it("mid-query (every connection, after 20 kB): a timeout error within the deadline", function()
      rule(("--sport %d -m connbytes --connbytes 20000: --connbytes-dir reply --connbytes-mode bytes -j DROP")
        :format(PORT))
      local t, ok, e = timed(mast.query, CONE, { deadline = 4 })
      assert.is_false(ok)
      assert.is_true(core.is_error(e, "timeout"), tostring(e))
      assert.is_true(t < 4 + 1, ("took %.1f s"):format(t))
      note("black hole: DROP every conn after 20 kB", ("query: %s, %s"):format(e.code, e.message:sub(1, 40)), t)
    end)
  end)

  describe("reset mid-body", function()
    it("once (tcp-reset after 1 MB): a query comes back whole; a download resumes byte-identical", function()
      -- the client's packets past the threshold get the RST (REJECT answers
      -- the packet's sender), on the first connection that passes it only (a
      -- mark set once, as above)
      local function once(bytes)
        rule(("--dport %d -m connmark --mark 0 -m connbytes --connbytes %d: --connbytes-dir reply "
              .. "--connbytes-mode bytes -m quota --quota 100 -j CONNMARK --set-mark 1"):format(PORT, bytes))
        rule(("--dport %d -m connmark --mark 1 -j REJECT --reject-with tcp-reset"):format(PORT))
      end
      once(20000)
      local t, ok, r = timed(mast.query, CONE, { deadline = 10 })
      assert.is_true(ok, tostring(r))
      assert.equal(clean, text(r))
      assert.is_true(counters()[2] > 0, "no reset was sent")
      clear()
      assert.equal(2, #H.invokes())
      note("reset once: tcp-reset after 20 kB", "query: the same result (retried)", t)
      H.reset()
      core.config("timeout", 1)
      once(1000000)
      local dest = dir .. "/reset.fits"
      local t2, ok2, r2 = timed(mast.download, URI, dest, { size = SIZE, deadline = 20 })
      assert.is_true(ok2, tostring(r2))
      assert.is_true(r2.resumed)
      assert.equal(want, sha256(dest))
      clear()
      local rs = ranges()
      assert.equal(2, #rs, table.concat(rs, ", "))
      note("reset once: tcp-reset after 1 MB", "download: resumed (" .. rs[2] .. "), sha256 equal", t2)
    end)

    it("on every connection after 1.5 MB: a download gets there by resumes; a bigger query fails clearly", function()
      rule(("--dport %d -m connbytes --connbytes 1500000: --connbytes-dir reply --connbytes-mode bytes "
            .. "-j REJECT --reject-with tcp-reset"):format(PORT))
      core.config("retries", 6)
      local dest = dir .. "/resets.fits"
      local t, ok, r = timed(mast.download, URI, dest, { size = SIZE, deadline = 20 })
      assert.is_true(ok, tostring(r))
      assert.equal(want, sha256(dest))
      clear()
      -- how far past 1.5 MB a connection gets before the RST depends on how
      -- much the loopback's window lets through before the client's next ACK
      -- (1.5-2.5 MB seen), so 6 MB takes at least 3 attempts, each resuming
      -- further on than the one before
      local rs = ranges()
      assert.is_true(#rs >= 3 and #rs <= 7, table.concat(rs, ", "))
      assert.equal("none", rs[1])
      local last = 0
      for i = 2, #rs do
        local from = assert(tonumber(rs[i]:match("^bytes=(%d+)%-$")), rs[i])
        assert.is_true(from > last + 1000000, table.concat(rs, ", "))
        last = from
      end
      note("reset every conn after 1.5 MB", ("download: %d attempts, sha256 equal"):format(#rs), t)
      -- a query's answer cannot be resumed: past the threshold every attempt fails
      H.reset()
      core.config("timeout", 1)
      rule(("--dport %d -m connbytes --connbytes 20000: --connbytes-dir reply --connbytes-mode bytes "
            .. "-j REJECT --reject-with tcp-reset"):format(PORT))
      local t2, ok2, e = timed(mast.query, CONE, { deadline = 5 })
      assert.is_false(ok2)
      assert.is_true(core.is_error(e, "network"), tostring(e))
      assert.equal(4, e.attempts)
      assert.matches("gave up after 4 attempts", e.message, 1, true)
      note("reset every conn after 20 kB", "query: network, gave up after 4 attempts", t2)
    end)
  end)

  describe("random packet loss", function()
    it("of 10% each way: the same query result, a byte-identical download", function()
      rule(("--dport %d -m statistic --mode random --probability 0.1 -j DROP"):format(PORT))
      rule(("--sport %d -m statistic --mode random --probability 0.1 -j DROP"):format(PORT))
      core.config("connect_timeout", 10)   -- a lost SYN is sent again after 1 s
      core.config("timeout", 10)           -- TCP's retransmissions are no stall
      local t, ok, r = timed(mast.query, CONE, { deadline = 30 })
      assert.is_true(ok, tostring(r))
      assert.equal(clean, text(r))
      local dest = dir .. "/lossy.fits"
      local t2, ok2, r2 = timed(mast.download, URI, dest, { size = SIZE, deadline = 30 })
      assert.is_true(ok2, tostring(r2))
      assert.equal(want, sha256(dest))
      local c = counters()
      assert.is_true(c[1] + c[2] > 0, "no packet was lost")
      note("loss: statistic random 10% each way", ("query same, download sha256 equal (%d lost)"):format(c[1] + c[2]),
           t + t2)
    end)
  end)

  describe("a bandwidth cap (tc tbf, 16 Mbit/s)", function()
    it("is slow but whole; a deadline shorter than the transfer is a timeout, and the resume completes", function()
      -- the burst must hold one loopback packet (64 kB MTU): tbf drops a larger one
      run("tc qdisc add dev lo root tbf rate 16mbit burst 128kb latency 100ms")
      local dest = dir .. "/capped.fits"
      local t, ok, e = timed(mast.download, URI, dest, { size = SIZE, deadline = 1 })
      assert.is_false(ok)
      assert.is_true(core.is_error(e, "timeout"), tostring(e))
      assert.matches("deadline", e.message, 1, true)
      assert.is_true(t < 1 + 1, ("took %.1f s"):format(t))
      assert.is_false(exists(dest))
      assert.is_true(exists(dest .. ".part"))
      note("tbf 16 Mbit/s, deadline 1 s", "download: timeout, .part kept", t)
      local t2, ok2, r = timed(mast.download, URI, dest, { size = SIZE, deadline = 30 })
      assert.is_true(ok2, tostring(r))
      assert.is_true(r.resumed)
      assert.equal(want, sha256(dest))
      local t3, ok3, q = timed(mast.query, CONE, { deadline = 30 })
      assert.is_true(ok3, tostring(q))
      assert.equal(clean, text(q))
      assert.matches("overlimits [1-9]", run("tc -s qdisc show dev lo"))
      note("tbf 16 Mbit/s", "download resumed, sha256 equal; query the same", t2 + t3)
    end)
  end)

  describe("a slow drip (a byte every 0.3 s: above the 1 byte/s stall limit)", function()
    it("cannot outlive a query's deadline", function()
      H.faults { { kind = "drip", after_bytes = 100, interval = 0.3, match = { path = "/api/v0/invoke" } } }
      local t, ok, e = timed(mast.query, CONE, { deadline = 3 })
      assert.is_false(ok)
      assert.is_true(core.is_error(e, "timeout"), tostring(e))
      assert.matches("deadline", e.message, 1, true)
      assert.is_true(t >= 2.5 and t < 3 + 1, ("took %.1f s"):format(t))
      note("drip: 1 byte / 0.3 s (sandbox)", "query: timeout at the deadline", t)
      assert.equal(clean, text(mast.query(CONE)))
    end)

    it("cannot outlive a download's deadline; the .part it left resumes to a byte-identical file", function()
      H.faults { { kind = "drip", after_bytes = 100000, interval = 0.3, match = { uri = "netfault.fits" } } }
      local dest = dir .. "/drip.fits"
      local t, ok, e = timed(mast.download, URI, dest, { size = SIZE, deadline = 3 })
      assert.is_false(ok)
      assert.is_true(core.is_error(e, "timeout"), tostring(e))
      assert.is_true(t >= 2.5 and t < 3 + 1, ("took %.1f s"):format(t))
      assert.is_false(exists(dest))
      note("drip: 1 byte / 0.3 s (sandbox)", "download: timeout at the deadline, .part kept", t)
      local r = mast.download(URI, dest, { size = SIZE })
      assert.is_true(r.resumed)
      assert.equal(want, sha256(dest))
      -- the same bound for many files at once, and for a bundle
      H.faults { { kind = "drip", after_bytes = 100, interval = 0.3, match = { uri = "many.fits" } },
                 { kind = "drip", after_bytes = 100, interval = 0.3, match = { path = "/api/v0.1/Download/bundle" } } }
      local many = { { uri = "mast:SANDBOX/size/100000/many.fits", dest = dir .. "/m" } }
      local t2, ok2, rs = timed(mast.download_many, many, { deadline = 2 })
      assert.is_true(ok2, tostring(rs))
      assert.is_true(core.is_error(rs[1].error, "timeout"), tostring(rs[1].error))
      assert.is_true(t2 < 2 + 1, ("took %.1f s"):format(t2))
      local t3, ok3, e3 = timed(mast.bundle, { "mast:SANDBOX/size/1000/b.fits" }, dir .. "/b.tar.gz", { deadline = 2 })
      assert.is_false(ok3)
      assert.is_true(core.is_error(e3, "timeout"), tostring(e3))
      assert.is_true(t3 < 2 + 1, ("took %.1f s"):format(t3))
      note("drip: 1 byte / 0.3 s (sandbox)", "download_many, bundle: timeout at the deadline", t2 + t3)
    end)
  end)

  it("left nothing behind: no rule, no qdisc", function()
    clear()
    assert.same({}, counters())
    assert.not_matches("tbf", run("tc qdisc show dev lo"))
    assert.equal(BASE, core.config("base_url"))
  end)
end)
