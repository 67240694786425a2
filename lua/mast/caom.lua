--- mast.caom: observations in MAST's Common Archive Observation Model.
-- Every search returns a mast.Result (counts return an integer). Options
-- common to every search: pagesize, page, removenullcolumns, timeout,
-- cachebreaker (a string, or true for the current time), clearcache,
-- removecache, format ("json", "csv", "votable"); all = true fetches every
-- page as one result; deadline, progress; params = {...} adds raw params.
local S = require "mast.service"
local V = S.validators

local M = { _NAME = "mast.caom" }

local OBSTYPES = { all = true, science = true, calibration = true }
local function obstype(v)
  if not OBSTYPES[v] then return "'all', 'science' or 'calibration'" end
end

--- mast.caom.cone{ra =, dec = | target =, radius = 0.2 [, exclude_hla = true]} -> result
-- Mast.Caom.Cone: the observations within radius degrees.
M.cone = S.define {
  name = "mast.caom.cone", service = "Mast.Caom.Cone", position = 0.2,
  example = "{ra = 254.28746, dec = -4.09933, radius = 0.2}",
  options = { exclude_hla = { check = V.boolean } },
}

--- mast.caom.filtered{filters = {...} [, columns = "*", obstype = "all"]} -> result
-- Mast.Caom.Filtered: observations matching the filters (a plain table such as
-- {dataproduct_type = "image", t_max = {52264.4586, 54452.8914}}, or mast.set_filters' list).
M.filtered = S.define {
  name = "mast.caom.filtered", service = "Mast.Caom.Filtered", filters = "required", columns = "*",
  columns_config = "Mast.Caom.Cone",
  example = "{filters = {dataproduct_type = 'image', proposal_pi = 'Osten'}}",
  options = { obstype = { check = obstype } },
}

--- mast.caom.filtered_count{filters = {...} [, obstype =]} -> integer
-- The same search as a COUNT_BIG(*) query: how many observations match.
M.filtered_count = S.define {
  name = "mast.caom.filtered_count", service = "Mast.Caom.Filtered", filters = "required", count = true,
  columns_config = "Mast.Caom.Cone",
  example = "{filters = {filters = {values = {'NUV', 'FUV'}, separator = ';'}}}",
  options = { obstype = { check = obstype } },
}

--- mast.caom.filtered_position{ra =, dec = | target =, radius = 0.2, filters = {...} [, columns = "*"]} -> result
-- Mast.Caom.Filtered.Position: filters within a cone (sent as position = "ra, dec, radius").
M.filtered_position = S.define {
  name = "mast.caom.filtered_position", service = "Mast.Caom.Filtered.Position",
  position = 0.2, position_string = true, filters = "optional", columns = "*",
  columns_config = "Mast.Caom.Cone",
  example = "{ra = 210.8023, dec = 54.349, radius = 0.24, filters = {dataproduct_type = 'cube'}}",
}

--- mast.caom.filtered_position_count{ra =, dec = | target =, radius = 0.2, filters = {...}} -> integer
M.filtered_position_count = S.define {
  name = "mast.caom.filtered_position_count", service = "Mast.Caom.Filtered.Position",
  position = 0.2, position_string = true, filters = "optional", count = true,
  columns_config = "Mast.Caom.Cone",
  example = "{ra = 210.8023, dec = 54.349, radius = 5, filters = {dataproduct_type = {'cube', 'image'}}}",
}

-- obsid: an integer, a string of digits, or a list of them (sent comma-joined).
local function check_obsid(v)
  if type(v) == "table" then
    if #v == 0 then return "an obsid or a non-empty list of them" end
    for _, x in ipairs(v) do
      if V.integer_or_digits(x) then return "an obsid or a list of them (integers or strings of digits)" end
    end
    return nil
  end
  return V.integer_or_digits(v)
end

local function obsid_param(_, v)
  if type(v) ~= "table" then return v end
  if #v == 1 then return v[1] end
  local parts = {}
  for i, x in ipairs(v) do parts[i] = tostring(x) end
  return table.concat(parts, ",")
end

--- mast.caom.products{obsid = <id or list> [, pagesize =, page =]} -> result
-- Mast.Caom.Products: the data products of observations (their `obsid`, not
-- obs_id; several are sent comma-joined in one request). For many
-- observations mast.products batches the requests.
M.products = S.define {
  name = "mast.caom.products", service = "Mast.Caom.Products", example = "{obsid = 2003738726}",
  options = { obsid = { check = check_obsid, convert = obsid_param, required = true,
                        hint = "the obsid column of a CAOM search, e.g. obsid = r.data[1].obsid" } },
}

return M
