-- mast behind a production HTTP front: nginx (spec/tools/nginx-front) with TLS,
-- HTTP/2 or HTTP/1.1, gzip for JSON and a request body limit, in front of the
-- sandbox. The ctest tests spec-front (HTTP/2) and spec-front-http1 run this file.
local mast = require "mast"
local core = require "mast.core"
local F = require "helpers.front"

local CONE = { service = "Mast.Caom.Cone", params = { ra = 254.28746, dec = -4.09933, radius = 0.5 } }
local HTTP2 = F.protocol == "HTTP/2.0"

local function invokes_of(entries)
  local out = {}
  for _, e in ipairs(entries) do
    if e.uri:find("/api/v0/invoke", 1, true) then out[#out + 1] = e end
  end
  return out
end

describe("mast behind nginx (" .. tostring(F.protocol) .. ")", function()
  before_each(H.reset)

  it("reaches MAST through the front, over TLS with the test certificate", function()
    assert.matches("^https://", mast.config("base_url"))
    local mark = F.mark()
    local r = mast.query(CONE)
    assert.equal("COMPLETE", r.status)
    assert.is_true(#r.data > 100)
    local seen = F.since(mark, 1)
    assert.equal(1, #seen)
    assert.equal("POST", seen[1].method)
    assert.equal(200, seen[1].status)
  end)

  it("uses " .. tostring(F.protocol) .. ", the best the front offers", function()
    local mark = F.mark()
    mast.query(CONE)
    for _, e in ipairs(F.since(mark)) do assert.equal(F.protocol, e.protocol) end
  end)

  it("asks for compressed API answers and decodes the gzip the front sends", function()
    local direct
    do   -- the same query straight from the sandbox, for comparison
      mast.config { base_url = H.sandbox }
      direct = mast.query(CONE)
      mast.config { base_url = F.url }
    end
    H.reset()
    local mark = F.mark()
    local r = mast.query(CONE)
    local e = F.since(mark, 1)[1]
    assert.is_number(e.gzip_ratio, "the answer was not compressed")
    assert.is_true(e.gzip_ratio > 2, "gzip ratio " .. tostring(e.gzip_ratio))
    assert.matches("gzip", H.invokes()[1].headers["accept-encoding"])
    assert.same(direct.data, r.data)
  end)

  it("never asks for compression of a download", function()
    local dir = H.tmpdir()
    local r = mast.download("mast:SANDBOX/size/300000/plain.fits", dir .. "/plain.fits")
    assert.equal(300000, r.bytes)
    local q = H.requests()
    assert.equal(1, #q)
    assert.is_nil(q[1].headers["accept-encoding"])
    H.sh("rm -rf " .. H.quote(dir))
  end)

  it("carries the pages of a query_all on " .. (HTTP2 and "one connection" or "a few connections"),
     function()
    local mark = F.mark()
    local r = mast.query_all(CONE, { pagesize = 25, concurrency = 4 })
    assert.equal(r.paging.rows, #r.data)
    local pages = math.ceil(#r.data / 25)
    local entries = invokes_of(F.since(mark, pages))
    assert.is_true(pages >= 10 and #entries == pages, "pages: " .. #entries .. " of " .. pages)
    local n = F.connections(entries)
    if HTTP2 then
      assert.equal(1, n, "connections used by " .. #entries .. " pages")
    else
      assert.is_true(n <= 4, "connections used: " .. n)
    end
  end)

  it("carries concurrent downloads on " .. (HTTP2 and "one connection" or "a few connections"),
     function()
    local dir = H.tmpdir()
    local items = {}
    for i = 1, 8 do
      items[i] = { uri = ("mast:SANDBOX/size/%d/c%d.fits"):format(200000 + i, i), dest = dir .. "/c" .. i .. ".fits" }
    end
    -- in a fresh process, with no connection kept from an earlier test: the four
    -- first transfers start together, before any connection exists
    local script = "local items = {}\n"
    for i, it in ipairs(items) do
      script = script .. ("items[%d] = { uri = %q, dest = %q }\n"):format(i, it.uri, it.dest)
    end
    script = script .. [[
for _, r in ipairs(mast.download_many(items, { concurrency = 4 })) do assert(r.ok, tostring(r.error)) end
print("downloaded")
]]
    local mark = F.mark()
    local code, out, err = H.mast({ "-" }, script)
    assert.equal(0, code, err)
    assert.matches("downloaded", out)
    for i = 1, 8 do assert.equal(200000 + i, select(2, core.stat(items[i].dest))) end
    local entries = F.since(mark, 8)
    assert.equal(8, #entries)
    local n = F.connections(entries)
    if HTTP2 then
      assert.equal(1, n, "connections used by 8 downloads")
    else
      assert.is_true(n >= 2 and n <= 4, "connections used: " .. n)
    end
    H.sh("rm -rf " .. H.quote(dir))
  end)

  it("gives the front's 413 for a body over its limit as an http error, not retried", function()
    local mark = F.mark()
    local e = H.raises("http", mast.query, { service = "Mast.Caom.Filtered", params = {
      filters = { { paramName = "obs_id", values = { string.rep("x", 2000000) } } } } })
    assert.equal(413, e.status)
    assert.matches("413", e.message)
    assert.equal(1, #F.since(mark, 1))
    assert.equal(0, #H.invokes())
  end)

  it("retries the front's own 502 page when the archive behind it drops the connection", function()
    H.faults { { kind = "drop", times = 2, match = { path = "/api/v0/invoke" } } }
    local mark = F.mark()
    local r = mast.query(CONE)
    assert.equal("COMPLETE", r.status)
    local statuses = {}
    for _, e in ipairs(F.since(mark, 3)) do statuses[#statuses + 1] = e.status end
    assert.same({ 502, 502, 200 }, statuses)
  end)
end)
