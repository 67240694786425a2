-- A front that closes kept-alive connections: nginx with keepalive_requests 2 and
-- keepalive_timeout 1 s (ctest spec-front-keepalive over HTTP/2, spec-front-keepalive-http1).
-- mast reconnects: never a failure, never a request applied twice.
local mast = require "mast"
local core = require "mast.core"
local F = require "helpers.front"

local function cone(i)
  return { service = "Mast.Caom.Cone", params = { ra = 254.28746 + i / 1000, dec = -4.09933, radius = 0.05 } }
end

describe("mast behind a front that closes connections after " .. tostring(F.keepalive_requests) ..
         " requests (" .. tostring(F.protocol) .. ")", function()
  before_each(H.reset)

  it("runs 40 queries, some just as an idle connection expires, none failed and none sent twice", function()
    assert.equal(2, F.keepalive_requests)
    local mark = F.mark()
    local pauses = { 0.95, 1.0, 1.02, 1.05, 1.1 }
    for i = 1, 40 do
      local r = mast.query(cone(i))
      assert.equal("COMPLETE", r.status)
      if i % 8 == 0 then core.sleep(pauses[i // 8]) end   -- about keepalive_timeout
    end
    local entries = F.since(mark, 40)
    assert.equal(40, #entries)
    local most = 0
    for _, e in ipairs(entries) do
      assert.equal(200, e.status)
      if e.conn_requests > most then most = e.conn_requests end
    end
    assert.is_true(most <= 2, "a connection carried " .. most .. " requests")
    assert.is_true(F.connections(entries) >= 20, "connections: " .. F.connections(entries))
    -- the sandbox saw each query exactly once
    local seen = {}
    for _, q in ipairs(H.invokes()) do
      seen[q.body] = (seen[q.body] or 0) + 1
    end
    local n = 0
    for body, count in pairs(seen) do
      n = n + 1
      assert.equal(1, count, "sent " .. count .. " times: " .. body)
    end
    assert.equal(40, n)
  end)

  it("joins the pages of a query_all across the closed connections", function()
    mast.config { base_url = H.sandbox }
    local direct = mast.query_all(cone(0), { pagesize = 5 })
    mast.config { base_url = F.url }
    H.reset()
    local r = mast.query_all(cone(0), { pagesize = 5, concurrency = 4 })
    assert.same(direct.data, r.data)
    assert.is_true(#r.data > 20)
    assert.equal(math.ceil(#r.data / 5), #H.invokes())
  end)

  it("downloads concurrently across the closed connections, every file byte for byte", function()
    local dir = H.tmpdir()
    local items = {}
    for i = 1, 10 do
      local size = 150000 + 7 * i
      items[i] = { uri = ("mast:SANDBOX/size/%d/k%d.fits"):format(size, i), dest = dir .. "/k" .. i .. ".fits",
                   size = size }
    end
    local want = F.expected_sha256(items)
    local results = mast.download_many(items, { concurrency = 4 })
    for i, r in ipairs(results) do
      assert.is_true(r.ok, tostring(r.error))
      assert.equal(want[i], (core.sha256_file(items[i].dest)))
    end
    local gets = 0
    for _, q in ipairs(H.requests()) do
      if q.method == "GET" then gets = gets + 1 end
    end
    assert.equal(10, gets)
    H.sh("rm -rf " .. H.quote(dir))
  end)
end)
