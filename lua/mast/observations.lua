--- mast.observations: CAOM observations, as astroquery's Observations shapes them: the searches
-- (query_region, query_object, query_criteria and their _count forms: mast.obsquery) and the
-- column metadata (astroquery's get_metadata).
local columns = require "mast.columns"

local M = { _NAME = "mast.observations" }

for k, v in pairs(require "mast.obsquery") do
  if k ~= "_NAME" then M[k] = v end
end

-- The options of the searches (mast.options.declare: help and completion list these): what
-- the CAOM wrapper each search calls accepts (its declaration, which checks them), with
-- astroquery's objectname; any other key of query_criteria's table is a criterion on a column.
do
  local O = require "mast.options"
  local S = require "mast.service"
  local caom = require "mast.caom"
  local function known(drop, ...)
    local t = { objectname = O.validators.string }
    for _, f in ipairs { ... } do for k, v in pairs(S.declared[f].known) do t[k] = v end end
    for _, k in ipairs(drop) do t[k] = nil end
    return t
  end
  local whole = { "filters", "exclude_hla" }
  local named = { "filters", "exclude_hla", "ra", "dec", "coordinates", "target", "objectname" }
  O.declare("mast.observations.query_region", known(whole, caom.cone))
  O.declare("mast.observations.query_object", known(named, caom.cone))
  O.declare("mast.observations.query_criteria", known(whole, caom.filtered, caom.filtered_position))
  O.declare("mast.observations.query_region_count", known(whole, caom.filtered_position_count))
  O.declare("mast.observations.query_object_count", known(named, caom.filtered_position_count))
  O.declare("mast.observations.query_criteria_count",
    known(whole, caom.filtered_count, caom.filtered_position_count))
  O.declare("mast.observations.columns", { deadline = O.validators.deadline })
  O.declare("mast.observations.product_columns", { deadline = O.validators.deadline })
end

--- mast.observations.columns([{deadline =}]) -> a printable dataset of {name, type,
-- description, units, separator}: the observation columns criteria may name
-- (MAST's column configuration of Mast.Caom.Cone).
function M.columns(opts)
  return columns.dataset("mast.observations.columns", "Mast.Caom.Cone", "observation columns", opts)
end

--- mast.observations.product_columns([{deadline =}]) -> the same for data products (Mast.Caom.Products).
function M.product_columns(opts)
  return columns.dataset("mast.observations.product_columns", "Mast.Caom.Products", "product columns", opts)
end

return M
