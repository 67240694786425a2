-- Every request of the examples page (integration/examples_page.lua), encoded
-- by mast.query's encoder, is byte for byte what it was when the codec itself
-- applied MAST's empty-array rule (spec/unit/request_bytes.lua, written by the
-- encoder of commit 79f5ca0). The rule now lives in the request encoder, so
-- this pins it there.
--
-- To rewrite the expected bytes (only when a request is meant to change):
--   MAST_WRITE_REQUEST_BYTES=spec/unit/request_bytes.lua build/mast /usr/bin/busted \
--     spec/unit/request_bytes_spec.lua
local query = require "mast.query"
local PAGE = require "integration.examples_page"
local R = PAGE.requests

-- Fixed arguments for the examples that take some (answers, in the real run)
local ARGS = {
  caom_cone_search = { "2024-01-02 03:04:05" },
  jwst_nircam_search = { "Niriss" },
  get_hscv2_matches = { 12345678 },
  get_hscv3_matches = { 87654321 },
  get_vo_data = { "http://vao.stsci.edu/HSCVO/HSCVOSearch.aspx?cat=X&RA=1.5&DEC=-2.25" },
  get_caom_products = { 2003738726 },
}

local function cases()
  local out = {}
  for _, name in ipairs(PAGE.names) do
    if R[name] then
      out[#out + 1] = { name, R[name](table.unpack(ARGS[name] or {})) }
    end
  end
  -- a crossmatch of a cone's rows, and of none: data.fields = {} and
  -- data.data = {} are arrays (depth 2), the request's own data is not
  out[#out + 1] = { "crossmatch_from_cone_search/rows", R.crossmatch_from_cone_search({
    fields = { { name = "s_ra", type = "float" }, { name = "s_dec", type = "float" } },
    data = { { s_ra = 210.80242917, s_dec = 54.34875 }, { s_ra = 210.8, s_dec = 54.3 } } }) }
  out[#out + 1] = { "crossmatch_from_cone_search/empty",
                    R.crossmatch_from_cone_search({ fields = {}, data = {} }) }
  -- empty filter lists and values, and keys of the rule at the top level
  out[#out + 1] = { "empty filters", { service = "Mast.Caom.Filtered", params = { filters = {} } } }
  out[#out + 1] = { "empty values", { service = "Mast.Caom.Filtered",
    params = { columns = "*", filters = { { paramName = "obsid", values = {}, freeText = "%200%" } } } } }
  out[#out + 1] = { "top-level data", { service = "Mast.Caom.Crossmatch", data = {}, params = {} } }
  out[#out + 1] = { "other empty", { service = "S", params = { x = {}, values = { a = {} } } } }
  return out
end

local function write(path)
  local f = assert(io.open(path, "w"))
  f:write("-- The form bodies mast.query sends for spec/unit/request_bytes_spec.lua's\n",
          "-- requests (generated; see that spec).\n", "-- luacheck: no max line length\n", "return {\n")
  for _, c in ipairs(cases()) do
    f:write(("  [%q] =\n    %q,\n"):format(c[1], query.encode(c[2])))
  end
  f:write("}\n")
  f:close()
end

describe("mast.query's encoder", function()
  local out = os.getenv("MAST_WRITE_REQUEST_BYTES")
  if out then
    it("writes the expected bytes to " .. out, function() write(out) end)
    return
  end

  local want = require "unit.request_bytes"

  it("sends every request of the examples page byte for byte as before", function()
    local n = 0
    for _, c in ipairs(cases()) do
      assert.is_string(want[c[1]], c[1] .. ": no expected bytes")
      assert.equal(want[c[1]], query.encode(c[2]), c[1])
      n = n + 1
    end
    assert.is_true(n >= 50)
    local count = 0
    for _ in pairs(want) do count = count + 1 end
    assert.equal(n, count)
  end)
end)
