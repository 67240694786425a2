#!/usr/bin/env mast
-- advanced_search: a port of advanced_search() from MAST's "API examples in Python" page.
-- CAOM images from proposals whose PI is Osten (Mast.Caom.Filtered, all columns, obstype "all").
-- Fixes: none needed.
local mast = require "mast"

local filters = mast.set_filters { dataproduct_type = { "image" }, proposal_pi = { "Osten" } }
local observations = mast.caom.filtered { filters = filters, columns = "*", obstype = "all" }
print(mast.summary(observations, {
  columns = { "obs_collection", "instrument_name", "target_name", "obs_id", "proposal_pi", "obsid" },
}))
