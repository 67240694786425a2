-- Record and replay (mast.record): a recorded run answers again with no
-- network, byte for byte; an unrecorded request fails naming it; no token
-- in a recording.
local core = require "mast.core"

-- A script that queries (one page, every page of a query, a wrapper with a
-- poll) and downloads, printing what it got.
local SCRIPT = [[
local dir = arg[1]
local cone = {service = "Mast.Caom.Cone", params = {ra = 254.28746, dec = -4.09933, radius = 0.2},
              format = "json", pagesize = 5, page = 1}
local r = mast.query(cone)
local out = {}
for _, row in ipairs(r.data) do out[#out + 1] = row.obsid .. " " .. tostring(row.s_ra) end
print(r.status, #r.data, table.concat(out, ";"))
local all = mast.query_all(cone, {pagesize = 7})
print(#all.data, all.data[#all.data].obsid)
print(mast.json.encode(mast.query(cone, {}).data[1]))
local csv = mast.query({service = "Mast.Caom.Cone", params = {ra = 254.28746, dec = -4.09933, radius = 0.2},
                       format = "csv", pagesize = 3, page = 1})
print(csv)
local d = mast.download("mast:SANDBOX/size/1000/rec.fits", dir .. "/rec.fits", {overwrite = true})
print(d.bytes, d.status)
]]

local function run(env, script_path, dir)
  return H.mast({ script_path, dir }, nil, env)
end

describe("record and replay", function()
  local tmp, rec, script
  before_each(function()
    H.reset()
    tmp = H.tmpdir()
    rec = tmp .. "/recording"
    script = tmp .. "/run.lua"
    H.write(script, SCRIPT)
  end)

  it("replays a recorded run byte for byte with no network, and keeps no token", function()
    local code, first, err = run({ MAST_RECORD = rec, MAST_API_TOKEN = "sandbox-token", MAST_PROGRESS = "off" },
      script, tmp)
    assert.equal(0, code, err)
    local sent = #H.requests()
    assert.is_true(sent >= 4)
    -- the layout: an index of JSON lines, format version 1, bodies named by their sha256
    local index = H.read(rec .. "/index.jsonl")
    local lines = {}
    for l in index:gmatch("[^\n]+") do lines[#lines + 1] = core.json_decode(l) end
    assert.equal("mast-recording", lines[1].format)
    assert.equal(1, lines[1].version)
    assert.is_true(#lines - 1 >= 4)
    local saw_download = false
    for i = 2, #lines do
      local e = lines[i]
      assert.is_string(e.url)
      assert.is_string(e.key)
      if e.body then
        assert.equal(e.body, core.sha256(H.read(rec .. "/bodies/" .. e.body)))
      end
      if e.dest then
        saw_download = true
        assert.equal(e.sha256, core.sha256(H.read(tmp .. "/rec.fits")))
      end
    end
    assert.is_true(saw_download)
    local grep = H.sh("grep -rq sandbox-token " .. H.quote(rec))
    assert.is_not.equal(0, grep)                -- the token is nowhere in the recording
    -- replay: nothing reaches the sandbox (its log stays empty)
    local env = { MAST_REPLAY = rec, MAST_PROGRESS = "off" }
    H.reset()
    local code2, again, err2 = run(env, script, tmp)
    assert.equal(0, code2, err2)
    assert.equal(first, again)
    assert.equal(0, #H.requests())
    -- a replayed download needs the recorded file at its path
    os.remove(tmp .. "/rec.fits")
    local code3, _, err3 = run(env, script, tmp)
    assert.is_not.equal(0, code3)
    assert.matches("replay", err3)
    assert.matches("rec.fits", err3, 1, true)
  end)

  it("replays a polled query's answers in their order (EXECUTING, then the rows)", function()
    local s = tmp .. "/poll.lua"
    H.write(s, [[
      local r = mast.query{service = "Mast.Caom.Cone", params = {ra = 254.28746, dec = -4.09933, radius = 0.2},
                           format = "json", pagesize = 3, page = 1}
      print(r.status, #r.data, r.data[1].obsid)
    ]])
    H.settings { executing = 2 }
    local code, first, err = H.mast({ s }, nil, { MAST_RECORD = rec })
    assert.equal(0, code, err)
    assert.equal(3, #H.invokes())
    local index = H.read(rec .. "/index.jsonl")
    local _, lines = index:gsub("\n", "")
    assert.equal(4, lines)                        -- the header and three exchanges of one request
    H.reset()
    local code2, again, err2 = H.mast({ s }, nil, { MAST_REPLAY = rec })
    assert.equal(0, code2, err2)
    assert.equal(first, again)
    assert.matches("^COMPLETE\t3\t", again)
    assert.equal(0, #H.requests())
  end)

  it("fails loudly on a request the recording does not hold, naming it", function()
    local code, _, err = run({ MAST_RECORD = rec, MAST_PROGRESS = "off" }, script, tmp)
    assert.equal(0, code, err)
    local other = tmp .. "/other.lua"
    H.write(other, [[
      local ok, e = pcall(mast.query, {service = "Mast.Caom.Cone", params = {ra = 10, dec = 20, radius = 0.1},
        format = "json"})
      print(ok, e.code)
      print(tostring(e))
    ]])
    H.reset()
    local code2, out = H.mast({ other }, nil, { MAST_REPLAY = rec })
    assert.equal(0, code2)
    assert.matches("^false\treplay\n", out)
    assert.matches("POST " .. os.getenv("MAST_BASE_URL") .. "/api/v0/invoke", out, 1, true)
    assert.equal(0, #H.requests())
    assert.matches("body sha256 %x+", out)
    -- and a directory that is no recording
    local code3, _, err3 = H.mast({ "-e", "mast.query{service = 'Mast.Caom.Cone', params = {}}" }, nil,
      { MAST_REPLAY = tmp .. "/nothing" })
    assert.is_not.equal(0, code3)
    assert.matches("cannot read the recording", err3)
  end)

  it("keeps every batch of a run killed part-way, and ignores a line it was killed writing", function()
    local CONE = [[{service = "Mast.Caom.Cone", params = {ra = 254.28746, dec = -4.09933, radius = 0.2},
                    format = "json", pagesize = %d, page = 1}]]
    local killed = tmp .. "/killed.lua"
    H.write(killed, ([[
      local r = mast.query(%s)
      print(#r.data, r.data[1].obsid)
      io.stdout:flush()
      local pid = io.open("/proc/self/stat"):read("n")
      os.execute("kill -KILL " .. pid)   -- dies here, as a job cancelled by its scheduler
      mast.query(%s)
    ]]):format(CONE:format(4), CONE:format(6)))
    local code, first = H.mast({ killed }, nil, { MAST_RECORD = rec })
    assert.equal(137, code)
    assert.matches("^4\t%d+\n$", first)
    local index = H.read(rec .. "/index.jsonl")
    local _, lines = index:gsub("\n", "")
    assert.equal(2, lines)                       -- the header and the query that ended
    -- a line the run was writing when it died: half a record, no newline
    local f = assert(io.open(rec .. "/index.jsonl", "ab"))
    f:write('{"seq":2,"method":"POST","url":"http')
    f:close()
    local again = tmp .. "/again.lua"
    H.write(again, ([[
      local r = mast.query(%s)
      print(#r.data, r.data[1].obsid)
    ]]):format(CONE:format(4)))
    H.reset()
    local code2, out, err2 = H.mast({ again }, nil, { MAST_REPLAY = rec })
    assert.equal(0, code2, err2)
    assert.equal(first, out)
    assert.equal(0, #H.requests())
  end)

  it("starts and stops from a script: mast.record(dir), mast.replay(dir)", function()
    local s = tmp .. "/s.lua"
    H.write(s, ([[
      mast.record(%q)
      local a = mast.query{service = "Mast.Caom.Cone", params = {ra = 254.28746, dec = -4.09933, radius = 0.2},
                           format = "json", pagesize = 2, page = 1}
      mast.record(false)
      mast.replay(%q)
      local b = mast.query{service = "Mast.Caom.Cone", params = {ra = 254.28746, dec = -4.09933, radius = 0.2},
                           format = "json", pagesize = 2, page = 1}
      print(a.data[1].obsid == b.data[1].obsid, #b.data)
      local ok2, e2 = pcall(mast.query, {service = "Mast.Caom.Cone", params = {ra = 1, dec = 1, radius = 0.1},
                                         format = "json"})
      print(ok2, e2.code)
      local ok, e = pcall(mast.record, 42)
      print(ok, e.code)
    ]]):format(rec, rec))
    local code, out, err = H.mast({ s })
    assert.equal(0, code, err)
    assert.equal("true\t2\nfalse\treplay\nfalse\tusage\n", out)
  end)
end)
