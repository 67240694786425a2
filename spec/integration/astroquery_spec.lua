-- The same criteria through mast and through astroquery (Debian's python3-astroquery, aimed at
-- the sandbox): the same number of observations. Each row of CASES is one criteria search;
-- astroquery's form is what an astronomer writes in Python, mast's the same thing in Lua.
local mast = require "mast"
local core = require "mast.core"

local CASES = {
  { "a collection", { obs_collection = "HST" } },
  { "a wildcard", { target_name = "NGC*" } },
  { "a wildcard inside", { target_name = "*10*" } },
  { "a value list on a discrete column", { proposal_id = { "1256", "5160" } } },
  { "a list of strings", { dataproduct_type = { "image", "spectrum" } } },
  { "a range on a continuous column", { t_min = { 55000, 56000 } } },
  { "a multi-valued column", { filters = "F555W" } },
  { "a multi-valued column, two values", { filters = { "F555W", "F814W" } } },
  { "an integer list", { calib_level = { 2, 3 } } },
  { "a range and a list", { s_ra = { 200, 260 }, obs_collection = { "HST", "JWST" } } },
  { "an instrument", { instrument_name = "WFC3/IR" } },
  -- ISO dates for mast, the same days as MJD for astroquery
  { "dates", { t_min = { "2010-01-01", "2012-01-01" } }, { t_min = { 55197, 55927 } } },
}

describe("mast against astroquery", function()
  it("gives the same row counts for the same criteria", function()
    local xdg = H.tmpdir()
    os.execute("mkdir -p " .. H.quote(xdg .. "/config/astropy") .. " " .. H.quote(xdg .. "/cache/astropy"))
    H.write(xdg .. "/config/astropy/astroquery.cfg", "[mast]\nserver = " .. os.getenv("MAST_BASE_URL") .. "\n")
    local list = {}
    for i, c in ipairs(CASES) do list[i] = c[3] or c[2] end
    local cmd = ("XDG_CONFIG_HOME=%s XDG_CACHE_HOME=%s HOME=%s /usr/bin/python3 %s"):format(H.quote(xdg .. "/config"),
      H.quote(xdg .. "/cache"), H.quote(xdg), H.quote(H.root .. "/spec/tools/astroquery_counts.py"))
    local code, out, err = H.sh(cmd, core.json_encode(list))
    assert.equal(0, code, err)
    local theirs = core.json_decode(out)
    local table_lines = { "| criteria | mast | astroquery |", "|---|---|---|" }
    for i, c in ipairs(CASES) do
      local ours = mast.observations.query_criteria_count(c[2])
      assert.equal("number", type(theirs[i]), c[1] .. ": astroquery said " .. core.json_encode(theirs[i]))
      table_lines[#table_lines + 1] = ("| %s `%s` | %d | %d |"):format(c[1], core.json_encode(c[2]), ours, theirs[i])
      assert.equal(theirs[i], ours, c[1])
      assert.is_true(ours > 0, c[1] .. " matches something")
    end
    -- the comparison, for the record
    local record = os.getenv("MAST_ASTROQUERY_TABLE")
    if record then H.write(record, table.concat(table_lines, "\n") .. "\n") end
    os.execute("rm -rf " .. H.quote(xdg))
  end)
end)
