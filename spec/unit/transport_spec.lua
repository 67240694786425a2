-- The transport and the invoke protocol, driven through a fake engine: request
-- specs in, canned answers out, a fake clock. No server.
local core = require "mast.core"
local mast = require "mast"
local T = require "mast.transport"
local invoke = require "mast.protocol.invoke"

-- A fake engine answering each perform call from `script` (a list of lists
-- of results, one list per call; a function is called with the spec).
local function engine(script)
  local e = { t = 0, sleeps = {}, calls = {} }
  function e.now() return e.t end
  function e.sleep(s)
    e.sleeps[#e.sleeps + 1] = s
    e.t = e.t + s
  end
  function e.perform(specs, opts)
    e.calls[#e.calls + 1] = { specs = specs, opts = opts }
    local answers = script[#e.calls] or error("no canned answer for call " .. #e.calls)
    local out = {}
    for i, spec in ipairs(specs) do
      local a = answers[i]
      if type(a) == "function" then a = a(spec) end
      out[i] = a
    end
    e.t = e.t + 0.01
    return out
  end
  return e
end

local function ok(value) return { ok = true, status = 200, value = value } end
local function executing(pct) return ok({ status = "EXECUTING", ["percent complete"] = pct, msg = "" }) end
local function failed(code, msg, fields)
  return { ok = false, error = core.error(code, msg, fields) }
end

local function fields(...)
  local f = {}
  for i, name in ipairs({ ... }) do f[i] = { name = name, type = "int" } end
  return f
end

local function page(n, pages, total, names, rows)
  return ok({ status = "COMPLETE", msg = "", fields = fields(table.unpack(names)), data = rows,
              paging = { page = n, pageSize = 2, pagesFiltered = pages, rows = #rows, rowsFiltered = total,
                         rowsTotal = total } })
end

-- The request object a spec's body carries.
local function request_of(spec)
  local json = spec.body:match("^request=(.*)$"):gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end)
  return core.json_decode(json)
end

local REQ = { service = "Mast.Caom.Cone", params = { ra = 1, dec = 2, radius = 0.1 } }

describe("the invoke protocol over the transport", function()
  it("polls while EXECUTING: identical bytes re-sent, backoff 0.25 s doubling to 4 s, then done", function()
    local script = {}
    for i = 1, 7 do script[i] = { executing(i / 10) } end
    script[8] = { page(1, 1, 1, { "a" }, { { a = 1 } }) }
    local e = engine(script)
    local r = T.one(invoke, REQ, { engine = e, progress = false, deadline = 600 })
    assert.equal(require("mast.result").Result, getmetatable(r))
    assert.equal("Mast.Caom.Cone", r:service())
    assert.equal(8, #e.calls)
    for i = 2, 8 do assert.equal(e.calls[1].specs[1].body, e.calls[i].specs[1].body) end
    assert.same({ 0.25, 0.5, 1, 2, 4, 4, 4 }, e.sleeps)
    local spec = e.calls[1].specs[1]
    assert.equal("POST", spec.method)
    assert.matches("/api/v0/invoke$", spec.url)
    assert.equal("json", spec.decode)
    assert.equal("json", request_of(spec).format)
  end)

  it("makes an ERROR envelope a mast error with MAST's msg and the service as context", function()
    local e = engine({ { ok({ status = "ERROR", msg = "Unknown service" }) } })
    local ok_, err = pcall(T.one, invoke, REQ, { engine = e, progress = false })
    assert.is_false(ok_)
    assert.is_true(core.is_error(err, "mast"))
    assert.equal("Unknown service", err.msg)
    assert.equal("MAST reported an error: Unknown service", err.message)
    assert.equal("Mast.Caom.Cone", err.service)
    assert.equal("Mast.Caom.Cone: MAST reported an error: Unknown service", tostring(err))
    assert.equal(1, #e.calls)
  end)

  it("gives a timeout error when the deadline passes while EXECUTING, without sleeping past it", function()
    local script = {}
    for i = 1, 20 do script[i] = { executing() } end
    local e = engine(script)
    local ok_, err = pcall(T.one, invoke, REQ, { engine = e, progress = false, deadline = 2 })
    assert.is_false(ok_)
    assert.is_true(core.is_error(err, "timeout"))
    assert.equal("Mast.Caom.Cone", err.service)
    assert.matches("^Mast%.Caom%.Cone: still EXECUTING when the 2 s deadline passed %(4 polls%)", tostring(err))
    assert.is_true(e.t <= 2)
    assert.same({ 0.25, 0.5, 1 }, e.sleeps)
  end)

  it("joins 3 pages with differing fields in order, and rewrites the paging once", function()
    local e = engine({
      { page(1, 3, 5, { "a", "b" }, { { a = 1, b = 1 }, { a = 2, b = 2 } }) },
      { page(2, 3, 5, { "a" }, { { a = 3 }, { a = 4 } }),
        page(3, 3, 5, { "a", "c" }, { { a = 5, c = 5 } }) },
    })
    local r = T.all(invoke, REQ, { engine = e, progress = false, pagesize = 2 })
    assert.equal(2, #e.calls)
    assert.equal(1, request_of(e.calls[1].specs[1]).page)
    assert.equal(2, request_of(e.calls[1].specs[1]).pagesize)
    assert.equal(2, request_of(e.calls[2].specs[1]).page)
    assert.equal(3, request_of(e.calls[2].specs[2]).page)
    assert.equal(4, e.calls[2].opts.concurrency)   -- the protocol's default
    local a = {}
    for i, row in ipairs(r.data) do a[i] = row.a end
    assert.same({ 1, 2, 3, 4, 5 }, a)
    assert.same({ "a", "b", "c" }, r:columns())
    assert.same({ page = 1, pageSize = 5, pagesFiltered = 1, rows = 5, rowsFiltered = 5, rowsTotal = 5 }, r.paging)
  end)

  it("says which page failed, as context, without rewriting the message", function()
    local e = engine({
      { page(1, 3, 5, { "a" }, { { a = 1 }, { a = 2 } }) },
      { page(2, 3, 5, { "a" }, { { a = 3 }, { a = 4 } }),
        failed("http", "HTTP 500 Internal Server Error from http://x/api/v0/invoke", { status = 500 }) },
    })
    local ok_, err = pcall(T.all, invoke, REQ, { engine = e, progress = false })
    assert.is_false(ok_)
    assert.is_true(core.is_error(err, "http"))
    assert.equal(3, err.page)
    assert.equal(3, err.pages)
    assert.equal("HTTP 500 Internal Server Error from http://x/api/v0/invoke", err.message)
    assert.equal("Mast.Caom.Cone: page 3 of 3: HTTP 500 Internal Server Error from http://x/api/v0/invoke",
      tostring(err))
  end)

  it("checks the budget against page 1 before any other page is sent", function()
    local first = page(1, 3, 5, { "a" }, { { a = 1 }, { a = 2 } })
    for _, budget in ipairs({ { max_rows = 4 }, { max_bytes = 10 } }) do
      local e = engine({ { first } })
      local opts = { engine = e, progress = false }
      for k, v in pairs(budget) do opts[k] = v end
      local ok_, err = pcall(T.all, invoke, REQ, opts)
      assert.is_false(ok_)
      assert.is_true(core.is_error(err, "memory"))
      assert.equal(5, err.rows)
      assert.matches("^Mast%.Caom%.Cone: 5 rows .*exceed the budget of max_", tostring(err))
      assert.equal(1, #e.calls)
    end
  end)

  it("raises at once when an item is cancelled, with its context", function()
    local e = engine({ { executing(), failed("cancelled", "cancelled") } })
    local other = { service = "Mast.Other", params = {} }
    local ok_, err = pcall(T.many, invoke, { REQ, other }, { engine = e, progress = false })
    assert.is_false(ok_)
    assert.is_true(core.is_error(err, "cancelled"))
    assert.equal("Mast.Other", err.service)
    assert.equal(1, #e.calls)
    assert.same({}, e.sleeps)
  end)

  it("says what a cancel stopped: the wait for an EXECUTING query, or the answer", function()
    local e = engine({ { executing(0.4) }, { executing(0.5) } })
    local waits = 0
    function e.sleep()
      waits = waits + 1
      if waits == 2 then error(core.error("cancelled", "cancelled")) end
    end
    local err = H.raises("cancelled", T.one, invoke, REQ, { engine = e, progress = false })
    assert.equal("Mast.Caom.Cone: cancelled while waiting for MAST to finish the query (EXECUTING, 2 polls)",
      tostring(err))
    e = engine({ { failed("cancelled", "Mast.Caom.Cone: cancelled") } })
    err = H.raises("cancelled", T.many, invoke, { REQ, REQ }, { engine = e, progress = false })
    assert.equal("Mast.Caom.Cone: cancelled before MAST answered 2 queries", tostring(err))
  end)

  it("keeps a failed item's error in its slot and finishes the others", function()
    local e = engine({ { executing(), failed("network", "could not connect") }, { page(1, 1, 1, { "a" }, {}) } })
    local out = T.many(invoke, { REQ, { service = "Mast.Other" } }, { engine = e, progress = false })
    assert.equal("COMPLETE", out[1].status)
    assert.equal("Mast.Other: could not connect", tostring(out[2]):sub(1, 29))
    assert.equal("network", out[2].code)
    assert.equal(1, #e.calls[2].specs)   -- only the one still EXECUTING went again
  end)
end)

describe("a protocol", function()
  it("may poll with another request (an async job) and set its own backoff", function()
    local proto = {
      family = "mast", backoff = { first = 1, max = 1 },
      build = function(args) return { spec = { url = args.url }, context = { service = "job" } } end,
      interpret = function(_, r)
        if r.value.phase ~= "COMPLETED" then
          return "again", { state = r.value.phase, spec = { url = "http://x/job/1" } }
        end
        return "done", r.value.rows
      end,
    }
    local e = engine({ { ok({ phase = "QUEUED" }) }, { ok({ phase = "EXECUTING" }) },
                       { ok({ phase = "COMPLETED", rows = 3 }) } })
    assert.equal(3, T.one(proto, { url = "http://x/async" }, { engine = e, progress = false }))
    assert.equal("http://x/async", e.calls[1].specs[1].url)
    assert.equal("http://x/job/1", e.calls[2].specs[1].url)
    assert.equal("http://x/job/1", e.calls[3].specs[1].url)
    assert.same({ 1, 1 }, e.sleeps)
  end)
end)

describe("options are checked once, before anything is sent", function()
  it("mast.query_all refuses a concurrency above the core's bound, naming itself", function()
    local e = H.raises("usage", mast.query_all, REQ, { concurrency = 100 })
    assert.equal("mast.query_all", e.fn)
    assert.equal("mast.query_all: option 'concurrency' must be a whole number from 1 to 64, got 100", tostring(e))
  end)

  it("mast.query_many names the request that is wrong", function()
    local e = H.raises("usage", mast.query_many, { REQ, { service = 1 } })
    assert.equal(2, e.item)
    assert.equal("mast.query_many: request 2: request.service must be a non-empty string, got 1", tostring(e))
  end)
end)

describe("an error's text", function()
  it("is composed from its parts by tostring", function()
    local e = core.error("http", "HTTP 500 from u", { service = "S" })
    assert.equal("S: HTTP 500 from u", tostring(e))
    e.page, e.pages, e.hint = 2, 4, "try again later"
    assert.equal("S: page 2 of 4: HTTP 500 from u (try again later)", tostring(e))
    e.fn, e.item, e.items, e.item_kind = "mast.products", 1, 3, "batch"
    assert.equal("mast.products: batch 1 of 3: page 2 of 4: HTTP 500 from u (try again later)", tostring(e))
    assert.equal("HTTP 500 from u", e.message)
    local c = core.error("callback", "stopped by the progress callback")
    c.cause = "boom"
    assert.equal("stopped by the progress callback: boom", tostring(c))
  end)
end)
