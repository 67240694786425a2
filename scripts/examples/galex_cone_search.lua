#!/usr/bin/env mast
-- galex_cone_search: a port of galex_cone_search() from MAST's "API examples in Python" page.
-- GALEX sources within 0.2 degrees of (254.28746, -4.09933) (Mast.Galex.Catalog),
-- with MAST's per-request wait set to 10 s.
-- Fixes: none needed.
local mast = require "mast"

local sources = mast.catalogs.galex_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, timeout = 10 }
print(mast.summary(sources, {
  columns = { "objID", "survey", "ra", "dec", "fuv_mag", "nuv_mag", "distance_arcmin" },
}))
-- objID is declared "string" but arrives as a 64-bit integer: json2table keeps it exact.
local t = mast.json2table(sources)
local with_fuv = 0
for _, mag in ipairs(t:column("fuv_mag")) do
  if mag ~= mast.null then with_fuv = with_fuv + 1 end
end
print(("%d of %d sources have an FUV magnitude"):format(with_fuv, t.n))
