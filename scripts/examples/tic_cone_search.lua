#!/usr/bin/env mast
-- tic_cone_search: a port of tic_cone_search() from MAST's "API examples in Python" page.
-- TESS Input Catalog (TIC) stars within 0.2 degrees of (254.28746, -4.09933)
-- (Mast.Catalogs.Tic.Cone), with MAST's per-request wait set to 10 s.
-- Fixes: none needed.
local mast = require "mast"

local stars = mast.catalogs.tic_cone { ra = 254.28746, dec = -4.09933, radius = 0.2, timeout = 10 }
print(mast.summary(stars, { columns = { "ID", "ra", "dec", "Tmag", "Teff", "logg", "objType" } }))
