--- mast.observations: CAOM observations the way astroquery's Observations reads
-- (query_region, query_object, query_criteria and their _count forms: mast.obsquery).
local M = { _NAME = "mast.observations" }

for k, v in pairs(require "mast.obsquery") do
  if k ~= "_NAME" then M[k] = v end
end

return M
