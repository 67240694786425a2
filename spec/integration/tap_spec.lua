-- VO-TAP catalogs (mast.tap), against the sandbox's TAP service.
local mast = require "mast"
local core = require "mast.core"

local function tap_requests(pattern)
  local out = {}
  for _, r in ipairs(H.requests()) do
    if r.path:match("^/vo%-tap/") and (not pattern or (r.method .. " " .. r.path):match(pattern)) then
      out[#out + 1] = r
    end
  end
  return out
end

local CONE = "SELECT TOP 10 * FROM dbo.catalogrecord WHERE CONTAINS(POINT('ICRS', ra, dec), "
  .. "CIRCLE('ICRS', 23.34086, 60.658, 0.002)) = 1"

describe("mast.tap", function()
  before_each(H.reset)

  it("lists the catalogs of the service's OpenAPI document", function()
    local list = mast.tap.catalogs()
    local doc = core.json_decode(H.fixture("astroquery-pr3582/tap_collections.json"))
    assert.same(doc.components.schemas.CatalogName.enum, list)
  end)

  it("parses the recorded TIC cone answer: every row, 64-bit ids exact, types from the FIELDs", function()
    local r = mast.tap.query("tic", CONE)
    local rec = core.votable_decode(H.fixture("astroquery-pr3582/tap_results.vot"))
    assert.equal(#rec.data, #r.data)
    assert.is_true(#r.data > 0)
    for i, row in ipairs(rec.data) do
      assert.equal(row.id, r.data[i].id)
      assert.equal("integer", math.type(r.data[i].id))
    end
    assert.equal("int", r.fields[1].type)
    assert.equal("OK", r.votable_status)
    assert.is_false(r.overflow)
    -- the form the service's OpenAPI document names
    local sent = tap_requests("^POST .*/tic/sync$")[1]
    assert.matches("LANG=ADQL", sent.body, 1, true)
    assert.matches("QUERY=SELECT", sent.body, 1, true)
    assert.matches("responseformat=votable", sent.body, 1, true)
  end)

  it("runs a query as a UWS job: created, polled, fetched, then deleted", function()
    local q = "SELECT TOP 7 ID, ra, dec, Tmag FROM dbo.catalogrecord WHERE Tmag < 12 ORDER BY ID"
    local sync = mast.tap.query("tic", q)
    H.reset()
    local r = mast.tap.query("tic", q, { async = true })
    assert.equal(7, #r.data)
    for i, row in ipairs(sync.data) do assert.equal(row.id, r.data[i].id) end
    assert.matches("/tic/async/%x+$", r.job)
    local id = r.job:match("/async/(%x+)$")
    local create = tap_requests("^POST .*/tic/async$")
    assert.equal(1, #create)
    assert.matches("PHASE=RUN", create[1].body, 1, true)
    assert.is_true(#tap_requests("^GET .*/async/" .. id .. "$") >= 1)
    assert.equal(1, #tap_requests("^GET .*/async/" .. id .. "/results/result$"))
    local del = tap_requests("^POST .*/async/" .. id .. "$")
    assert.equal(1, #del)
    assert.equal("ACTION=DELETE", del[1].body)
    -- gone from the server
    local gone = core.perform({ { url = r.job, any_status = true } })[1]
    assert.equal(404, gone.status)
  end)

  it("reports OVERFLOW: an error without maxrec, the rows marked with it", function()
    local q = "SELECT ID FROM dbo.catalogrecord WHERE CONTAINS(POINT('ICRS', ra, dec), "
      .. "CIRCLE('ICRS', 23.3, 60.6, 1)) = 1"
    local r = mast.tap.query("tic", q, { maxrec = 3 })
    assert.equal(3, #r.data)
    assert.is_true(r.overflow)
    assert.equal("OVERFLOW", r.votable_status)
    -- the service's own cut (its default maxrec) is never taken silently
    H.faults { { kind = "status", status = 200, times = 1, match = { path = "/vo-tap/api/v0.1/tic/sync" },
      body = '<?xml version="1.0"?><VOTABLE><RESOURCE type="results"><INFO name="QUERY_STATUS" value="OVERFLOW"/>'
        .. '<TABLE><FIELD name="id" datatype="long"/><DATA><TABLEDATA><TR><TD>1</TD></TR></TABLEDATA></DATA>'
        .. '</TABLE></RESOURCE></VOTABLE>' } }
    local e = H.raises("limit", mast.tap.query, "tic", q)
    assert.matches("OVERFLOW", tostring(e), 1, true)
    assert.matches("maxrec", tostring(e), 1, true)
  end)

  it("says what the server said about bad ADQL, sync and async", function()
    local e = H.raises("http", mast.tap.query, "tic", "SELEC x FROM y")
    assert.matches("ADQL syntax error", tostring(e), 1, true)
    assert.equal(400, e.status)
    e = H.raises("http", mast.tap.query, "tic", "SELECT nosuch FROM dbo.catalogrecord", { async = true })
    assert.matches("TAP job on tic failed", tostring(e), 1, true)
    assert.matches("nosuch", tostring(e), 1, true)
    -- the failed job was deleted too
    assert.equal(1, #tap_requests("^POST .*/async/%x+$"))
  end)

  it("refuses bad input before sending anything", function()
    mast.tap.catalogs()   -- the catalog list is asked once per process
    H.reset()
    local e = H.raises("usage", mast.tap.query, "tc", "SELECT 1")
    assert.matches("did you mean 'tic'", tostring(e), 1, true)
    H.raises("usage", mast.tap.query, "tic", "  ")
    H.raises("usage", mast.tap.query, "tic", "SELECT 1", { maxrec = 100001 })
    H.raises("usage", mast.tap.query, "tic", "SELECT 1", { maxrec = 1.5 })
    assert.equal(0, #tap_requests())
  end)

  it("lists a catalog's tables and columns from VOSI tables", function()
    local t = mast.tap.tables("tic")
    local names = {}
    for _, row in ipairs(t.data) do names[row.name] = row.columns end
    assert.equal(125, names["dbo.catalogrecord"])
    assert.is_not_nil(names["tap_schema.columns"])
    local c = mast.tap.columns("tic", "catalogrecord")
    assert.equal(125, #c.data)
    assert.equal("id", c.data[1].name)
    assert.equal("long", c.data[1].datatype)
    local e = H.raises("usage", mast.tap.columns, "tic", "catalogrecrd")
    assert.matches("did you mean 'dbo.catalogrecord'", tostring(e), 1, true)
  end)

  it("writes the ADQL of a cone and checks its columns first", function()
    local r = mast.tap.cone("tic", { ra = 23.34086, dec = 60.658, radius = 0.002, top = 10 })
    assert.equal(CONE, r.adql)
    assert.equal(#core.votable_decode(H.fixture("astroquery-pr3582/tap_results.vot")).data, #r.data)
    local g = mast.tap.cone("gaiadr3", { ra = 10, dec = 20, radius = 0.05, columns = { "source_id", "ra", "dec" },
      where = "phot_g_mean_mag < 19" })
    assert.matches("^SELECT source_id, ra, dec FROM dbo.gaia_source WHERE CONTAINS", g.adql)
    assert.matches("AND %(phot_g_mean_mag < 19%)$", g.adql)
    for _, row in ipairs(g.data) do
      assert.equal("integer", math.type(row.source_id))
    end
    H.reset()
    local e = H.raises("usage", mast.tap.cone, "tic", { ra = 1, dec = 2, radius = 0.1, columns = "Tmagg" })
    assert.matches("did you mean 'tmag'", tostring(e), 1, true)
    H.raises("usage", mast.tap.cone, "hsc", { ra = 1, dec = 2, radius = 0.1 })   -- no default table
    H.raises("usage", mast.tap.cone, "tic", { ra = 1, dec = 2 })
    assert.equal(0, #tap_requests("sync$"))
  end)

  it("deletes the job on the server when Ctrl-C stops a poll", function()
    H.faults { { kind = "stall", after_bytes = 0, seconds = 30, times = -1,
                 match = { path = "/vo-tap/api/v0.1/tic/async/", method = "GET" } } }
    local script = H.tmpname()
    H.write(script, "local mast = require 'mast'\nmast.config{progress = 'off'}\n"
      .. "mast.tap.query('tic', 'SELECT TOP 3 ID FROM dbo.catalogrecord', {async = true})\n")
    local pidfile, errfile = H.tmpname(), H.tmpname()
    os.execute(("%s %s 2>%s & echo $! >%s"):format(H.quote(H.bin), H.quote(script), H.quote(errfile), H.quote(pidfile)))
    local pid = H.read(pidfile):match("%d+")
    -- Ctrl-C once the poll is on the wire (the event, not a timer)
    local t0 = core.now()
    while #tap_requests("^GET .*/tic/async/%x+$") == 0 do
      assert.is_true(core.now() - t0 < 60, "the job's poll never came")
      core.sleep(0.02)
    end
    os.execute("kill -INT " .. pid)
    local t1 = core.now()
    -- until mast has said why it stopped, or is gone (a zombie nobody reaps still "exists")
    local err = ""
    while os.execute("kill -0 " .. pid .. " 2>/dev/null") and not (err:match("cancel") or err:match("interrupted")) do
      assert.is_true(core.now() - t1 < 20, "mast did not stop after Ctrl-C")
      core.sleep(0.02)
      err = H.read(errfile) or ""
    end
    err = H.read(errfile) or ""
    os.remove(script)
    os.remove(pidfile)
    os.remove(errfile)
    assert.is_truthy(err:match("cancel") or err:match("interrupted"), err)
    local del = tap_requests("^POST .*/async/%x+$")
    assert.equal(1, #del)
    assert.equal("ACTION=DELETE", del[1].body)
  end)
end)
