#!/usr/bin/env mast
-- get_caom_products: a port of get_caom_products() from MAST's "API examples in Python" page.
-- The CAOM cone search of caom_cone_search, then the data products of its
-- second observation (Mast.Caom.Products with that row's obsid, 4 per page).
-- Fixes: the cone search's (§12.6, see caom_cone_search.lua): no request is
-- sent again after MAST said COMPLETE.
local mast = require "mast"

local observations = mast.caom.cone {
  ra = 254.28746, dec = -4.09933, radius = 0.2,
  pagesize = 5000, page = 1, removenullcolumns = true, timeout = 3, cachebreaker = true,
}
local obs = observations.data[2]   -- the page's data[1]: Python counts from 0
if not obs then error(("the cone search found %d observations; the example needs 2"):format(observations:count())) end
print(("Mast.Caom.Cone: %d observations; the second is %s %s, obsid %s"):format(observations:count(),
  tostring(obs.obs_collection), tostring(obs.obs_id), tostring(obs.obsid)))
local products = mast.caom.products { obsid = obs.obsid, pagesize = 4, page = 1 }
print(mast.summary(products, {
  columns = { "obsID", "obs_collection", "obs_id", "productFilename", "productType", "size" },
}))
