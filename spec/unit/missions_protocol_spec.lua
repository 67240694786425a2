-- The Missions search protocol driven through a fake engine: no server.
local core = require "mast.core"
local T = require "mast.transport"
local missions = require "mast.protocol.missions"

-- Answers every search spec from its body: `total` rows named r<offset+i>.
local function engine(total, calls)
  local e = { t = 0 }
  function e.now() return e.t end
  function e.sleep(s) e.t = e.t + s end
  function e.perform(specs)
    local out = {}
    for i, spec in ipairs(specs) do
      local body = core.json_decode(spec.body)
      calls[#calls + 1] = body
      local rows = {}
      for k = body.offset + 1, math.min(body.offset + body.limit, total) do
        rows[#rows + 1] = { name = "r" .. k, id = 5853498713190525697 + k, pad = "x  " }
      end
      out[i] = { ok = true, status = 200, value = {
        messages = {}, totalResults = total, results = rows,
        info = { { name = "name", type = "STRING" }, { name = "id", type = "INTEGER" },
                 { name = "pad", type = "VARCHAR" } } } }
    end
    return out
  end
  return e
end

describe("the missions protocol over the transport", function()
  it("pages through offset/limit from totalResults, in order, 64-bit ids exact", function()
    local calls = {}
    local req = { mission = "hst", endpoint = "search", body = { conditions = {} } }
    local r = T.all(missions, req, { engine = engine(2500, calls), progress = false, pagesize = 1000 })
    assert.equal(2500, #r.data)
    assert.equal(3, #calls)
    for i = 1, 2500 do assert.equal("r" .. i, r.data[i].name) end
    assert.equal(5853498713190525697 + 2500, r.data[2500].id)
    assert.equal("integer", math.type(r.data[2500].id))
    assert.equal("x", r.data[1].pad)             -- padding trimmed
    assert.same({ "string", "int", "string" }, { r.fields[1].type, r.fields[2].type, r.fields[3].type })
    assert.equal(2500, r.paging.rowsFiltered)
  end)

  it("sends empty lists as JSON arrays", function()
    local item = missions.build({ mission = "jwst", endpoint = "search",
                                  body = { conditions = {}, target = {}, offset = 0, limit = 5 } })
    assert.matches('"conditions":%[%]', item.spec.body)
    assert.matches('"target":%[%]', item.spec.body)
    assert.matches("/search/jwst/api/v0%.1/search$", item.spec.url)
  end)

  it("flattens a product list nested one level deeper", function()
    local item = missions.build({ mission = "hst", endpoint = "post_list_products",
                                  body = { dataset_ids = { "A", "B" } } })
    local verdict, r = missions.interpret(item, { ok = true, status = 200, value = {
      products = { { { dataset = "A", filename = "a.fits", size = 1 } },
                   { { dataset = "B", filename = "b.fits", size = 2 } } } } })
    assert.equal("done", verdict)
    assert.equal(2, #r.data)
    assert.equal("b.fits", r.data[2].filename)
  end)

  it("gives the count of a count_only search", function()
    local item = missions.build({ mission = "hst", endpoint = "search", body = { count_only = true } })
    assert.same({ "done", 1066009 }, { missions.interpret(item, { ok = true, status = 200,
      value = { messages = {}, info = {}, results = {}, totalResults = 1066009 } }) })
  end)
end)
