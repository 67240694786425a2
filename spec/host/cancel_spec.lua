-- Ctrl-C, driven through a pseudo-terminal: every cancel is a mast error with
-- code "cancelled" and a message that says what it left; the REPL never exits
-- on Ctrl-C. Transfers are made slow with the sandbox's stall fault (headers and
-- part of the body, then a minute of silence), and each Ctrl-C waits for output
-- that shows the work is under way (a progress line, a printed marker).
local core = require "mast.core"

local function session(steps, args, env) return H.pty(steps, args, env) end

-- A REPL session: the prompt, the steps, Ctrl-D.
local function repl(env, ...)
  local list = { { expect = "mast> " }, { send = "M = require 'mast'\r" }, { expect = "mast> " } }
  for _, s in ipairs({ ... }) do list[#list + 1] = s end
  list[#list + 1] = { close = true }
  return session(list, nil, env)
end

local function send(line) return { send = line .. "\r" } end
local function prompt(timeout) return { expect = "mast> ", timeout = timeout or 60 } end

-- Prints "CODE <code> | <text>" for the error of a protected call. (Markers the
-- steps wait for are printed as concatenations: the echo of the typed line
-- must not match them.)
local function report(call, before)
  return send((before or "") .. ("local ok, e = pcall(%s) print('CO' .. 'DE ' .. tostring(type(e) == 'table' "
    .. "and e.code) .. ' | ' .. tostring(e))"):format(call))
end

local function count(s, pat)
  local n = 0
  for _ in s:gmatch(pat) do n = n + 1 end
  return n
end

-- Runs call in the REPL, and once its marker shows the call has begun (and
-- half a second on, for the transfer to be under way), a Ctrl-C.
local function interrupted(env, call)
  return repl(env, report(call, "print('STA' .. 'RT') "), { expect = "START" }, { sleep = 0.5 },
    { interrupt = true }, { expect = "CODE" }, prompt())
end

-- Files served whole (.../whole...) and files that stall after 100000 of their
-- 200000 bytes (.../stall...), `times` requests at most.
local function stall(times)
  H.faults { { kind = "stall", after_bytes = 100000, seconds = 60, times = times or -1, match = { uri = "stall" } } }
end
local function uri(name) return "mast:SANDBOX/size/200000/" .. name .. ".fits" end

describe("Ctrl-C", function()
  local dir, env

  before_each(function()
    H.reset()
    dir = H.tmpdir()
    env = { MAST_BASE_URL = os.getenv("MAST_BASE_URL"), MAST_HISTFILE = dir .. "/history",
            MAST_PROGRESS = "on", MAST_RETRIES = "0" }
  end)

  after_each(function()
    os.execute("rm -rf " .. H.quote(dir))
  end)

  it("at the prompt drops the line, twice in a row, and the REPL goes on", function()
    -- (at_prompt: typed once the line editor reads the terminal; before, the
    -- terminal itself would echo it too)
    local code, out = repl(env, { send = "error('not run')" }, { interrupt = true, at_prompt = true },
      { expect = "^C" }, prompt(), { interrupt = true, at_prompt = true }, { expect = "^C" }, prompt(),
      send("'af' .. 'ter'"), { expect = "after" }, prompt())
    assert.equal(0, code, out)
    assert.not_matches("not run\n", out)
    assert.equal(2, count(out, "%^C"), out)   -- each Ctrl-C echoed once
  end)

  it("twice in a row while running cancels twice, never ends the REPL, echoes once each", function()
    local code, out = repl(env,
      send("n = 0 for i = 1, 2 do local ok, e = pcall(function() print('LOOP' .. i) while true do end end) "
        .. "if M.is_error(e, 'cancelled') then n = n + 1 end end print('both', n)"),
      { expect = "LOOP1" }, { interrupt = true }, { expect = "LOOP2" }, { interrupt = true },
      { expect = "both\t2" }, prompt(), send("1 + 41"), { expect = "42" }, prompt())
    assert.equal(0, code, out)
    assert.equal(2, count(out, "%^C"), out)
  end)

  it("while MAST is EXECUTING a query says so, and the next query works", function()
    H.faults { { kind = "executing", count = 1000, match = { service = "Mast.Caom.Cone" } } }
    local q = "M.query, {service = 'Mast.Caom.Cone', params = {ra = 254.28746, dec = -4.09933, radius = 0.2}}"
    local code, out = repl(env, report(q), { expect = "EXECUTING" }, { interrupt = true }, { expect = "CODE" },
      -- (the fault answers every Mast.Caom.Cone poll: the next query is another service's)
      prompt(), send("print('RO' .. 'WS', #M.query{service = 'Mast.Catalogs.GaiaDR2.Cone', params = {ra = 254.28746, "
        .. "dec = -4.09933, radius = 0.02}}.data)"), { expect = "ROWS", timeout = 30 }, prompt(30))
    assert.equal(0, code, out)
    assert.matches("CODE cancelled | Mast.Caom.Cone: cancelled while waiting for MAST to finish the query "
      .. "(EXECUTING, ", out, 1, true)
    assert.matches("ROWS\t%d+\n", out)
  end)

  it("during an asynchronous TAP query deletes the job and says so", function()
    H.faults { { kind = "stall", after_bytes = 0, seconds = 60, times = -1,
                 match = { path = "/vo-tap/api/v0.1/tic/async/", method = "GET" } } }
    local code, out = repl(env, report("M.tap.query, 'tic', 'SELECT TOP 2 ID FROM dbo.catalogrecord', {async = true}"),
      { sleep = 0.3 }, { interrupt = true }, { expect = "CODE" }, prompt())
    assert.equal(0, code, out)
    assert.matches("CODE cancelled | mast.tap.query: cancelled [^\n]* %(job deleted%)\n", out)
    local deletes = 0
    for _, r in ipairs(H.requests()) do
      if r.method == "POST" and r.body == "ACTION=DELETE" then deletes = deletes + 1 end
    end
    assert.equal(1, deletes)
  end)

  it("during a download with its progress line keeps the .part", function()
    stall()
    local dest = dir .. "/one.fits"
    local code, out = repl(env, report(("M.download, %q, %q"):format(uri("stall1"), dest)),
      { expect = "100.0 KB of 200.0 KB" }, { interrupt = true }, { expect = "CODE" }, prompt())
    assert.equal(0, code, out)
    assert.matches("CODE cancelled | mast.download: cancelled: " .. dest .. ".part kept (100.0 KB) to resume", out,
      1, true)
    assert.equal(100000, #H.read(dest .. ".part"))
  end)

  it("during a download with progress = false", function()
    stall()
    local dest = dir .. "/quiet.fits"
    -- the marker is printed as the transfer starts; the stall then lasts a minute
    local call = ("M.download, %q, %q, {progress = false}"):format(uri("stall1"), dest)
    local code, out = interrupted(env, call)
    assert.equal(0, code, out)
    assert.matches("CODE cancelled | mast.download: cancelled", out, 1, true)
  end)

  it("during a download with a progress callback is a cancel, not the callback's error", function()
    stall()
    local dest = dir .. "/cb.fits"
    local code, out = repl(env,
      report(("M.download, %q, %q, {progress = function(p) if p.bytes >= 100000 and not seen then seen = true "
        .. "print('HA' .. 'LF') end end}"):format(uri("stall1"), dest)),
      { expect = "HALF" }, { interrupt = true }, { expect = "CODE" }, prompt())
    assert.equal(0, code, out)
    assert.matches("CODE cancelled | mast.download: cancelled: " .. dest .. ".part kept", out, 1, true)
    assert.not_matches("callback", out)
  end)

  it("during a bundle says that it was not written", function()
    H.faults { { kind = "stall", after_bytes = 2000, seconds = 60, times = -1,
                 match = { path = "/api/v0.1/Download/bundle" } } }
    local dest = dir .. "/b.tar.gz"
    local code, out = repl(env, report(("M.bundle, {%q, %q}, %q"):format(uri("whole1"), uri("whole2"), dest)),
      { expect = "bundle of 2 files  " }, { interrupt = true }, { expect = "CODE" }, prompt())
    assert.equal(0, code, out)
    assert.matches("CODE cancelled | mast.bundle: cancelled while downloading the bundle of 2 files (" .. dest
      .. " not written", out, 1, true)
    assert.is_nil(io.open(dest))
  end)

  it("during download_products counts the files, keeps the .part files, and a rerun resumes them", function()
    stall(2)   -- the two stalled files' first requests only: the rerun gets them whole
    local rows = {}
    for i, name in ipairs { "whole1", "stall2", "stall3" } do
      rows[i] = ("{dataURI = %q, obs_collection = 'SANDBOX', obs_id = 'o%d', productFilename = '%s.fits', "
        .. "size = 200000}"):format(uri(name), i, name)
    end
    local call = ("M.download_products, {%s}, %q"):format(table.concat(rows, ", "), dir)
    local code, out = repl(env, send("rows = {" .. table.concat(rows, ", ") .. "}"), prompt(), report(call),
      { expect = "1/3 files" }, { interrupt = true }, { expect = "CODE" }, prompt(),
      send(("for _, e in ipairs(M.download_products(rows, %q)) do print('STA' .. 'TUS', e.status) end"):format(dir)),
      { expect = "STATUS", timeout = 30 }, prompt(30))
    assert.equal(0, code, out)
    assert.matches("CODE cancelled | mast.download_products: cancelled: 1 of 3 files complete, "
      .. "2 kept as .part to resume", out, 1, true)
    assert.equal(3, count(out, "STATUS\t[CS][OK][MI]"), out)   -- COMPLETE or SKIPPED
    -- resumed from byte 100000, and byte-identical to what the server sends whole
    local ranged = 0
    for _, r in ipairs(H.requests()) do
      if (r.headers or {}).range == "bytes=100000-" then ranged = ranged + 1 end
    end
    assert.equal(2, ranged)
    for _, name in ipairs { "stall2", "stall3" } do
      local path = ("%s/mastDownload/SANDBOX/o%d/%s.fits"):format(dir, name == "stall2" and 2 or 3, name)
      local whole = core.request { url = require("mast.download").url_of(uri(name)) }
      assert.equal(whole.body, H.read(path))
      assert.is_nil(io.open(path .. ".part"))
    end
  end)

  it("during query_all's later pages names the page and the queries left", function()
    -- page 1 answers (the latency rule takes its request), then every page stalls
    H.faults { { kind = "latency", ms = 0, times = 1, match = { service = "Mast.Caom.Cone" } },
               { kind = "stall", after_bytes = 0, seconds = 60, times = -1, match = { service = "Mast.Caom.Cone" } } }
    local q = "M.query_all, {service = 'Mast.Caom.Cone', params = {ra = 254.28746, dec = -4.09933, radius = 0.2}}, "
      .. "{pagesize = 50}"
    local code, out = interrupted(env, q)
    assert.equal(0, code, out)
    assert.matches("CODE cancelled | Mast.Caom.Cone: page 2 of %d+: cancelled before MAST answered %d+ queries", out)
  end)

  it("during query_many says how many queries were not answered", function()
    H.faults { { kind = "stall", after_bytes = 0, seconds = 60, times = -1, match = { path = "/api/v0/invoke" } } }
    local one = "{service = 'Mast.Caom.Cone', params = {ra = %d, dec = 0, radius = 0.1}}"
    local q = ("M.query_many, {%s, %s, %s}"):format(one:format(1), one:format(2), one:format(3))
    local code, out = interrupted(env, q)
    assert.equal(0, code, out)
    assert.matches("CODE cancelled | [^\n]*cancelled before MAST answered 3 queries", out)
  end)

  it("during a TESScut request (another API family)", function()
    H.faults { { kind = "stall", after_bytes = 0, seconds = 60, times = -1, match = { path = "/tesscut/" } } }
    local q = "M.tesscut.sectors, {ra = 107.27, dec = -70.0}"
    local code, out = interrupted(env, q)
    assert.equal(0, code, out)
    assert.matches("CODE cancelled | [^\n]*cancelled before", out)
  end)

  it("during an extraction stops between entries, each whole, and says how many were written", function()
    -- an archive of 20,000 small files: long enough to extract that the Ctrl-C lands inside
    local archive = dir .. "/many.tar"
    assert.equal(0, H.sh(("python3 -c %s %s"):format(H.quote([[
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for i in range(20000):
        data = (b"%06d\n" % i) * 20
        info = tarfile.TarInfo("d%02d/f%05d.txt" % (i % 50, i)); info.size = len(data)
        t.addfile(info, io.BytesIO(data))
]]), H.quote(archive))))
    local out_dir = dir .. "/x"
    local call = ("require('mast.core').extract, %q, %q"):format(archive, out_dir)
    local code, out = repl(env, report(call, "print('STA' .. 'RT') "), { expect = "START" }, { sleep = 0.3 },
      { interrupt = true }, { expect = "CODE" }, prompt())
    assert.equal(0, code, out)
    local written, total = out:match("CODE cancelled | cancelled while extracting [^\n]*: (%d+) of (%d+) "
      .. "entries written")
    assert.is_not_nil(written, out)
    assert.equal(20000, tonumber(total))
    assert.is_true(tonumber(written) < 20000, out)
    -- every file there is whole
    local _, listing = H.sh("find " .. H.quote(out_dir) .. " -type f -size -140c")
    assert.equal("", listing)
  end)

  it("in a script (mast script.lua) ends it with status 130 and the cancel's message", function()
    stall()
    local script = dir .. "/run.lua"
    H.write(script, ("print('STA' .. 'RT') mast.download(%q, %q, {progress = false}) print('not reached')")
      :format(uri("stall1"), dir .. "/s.fits"))
    local code, out = session({ { expect = "START" }, { sleep = 0.5 }, { interrupt = true } }, { script }, env)
    assert.equal(130, code, out)
    assert.matches("mast: mast.download: cancelled", out, 1, true)
    assert.not_matches("not reached", out)
  end)
end)
