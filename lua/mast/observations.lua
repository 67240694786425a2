--- mast.observations: CAOM observations, as astroquery's Observations shapes them: the searches
-- (query_region, query_object, query_criteria and their _count forms: mast.obsquery) and the
-- column metadata (astroquery's get_metadata).
local columns = require "mast.columns"

local M = { _NAME = "mast.observations" }

for k, v in pairs(require "mast.obsquery") do
  if k ~= "_NAME" then M[k] = v end
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
