#!/usr/bin/env mast
-- download_multiple_products: a port of download_multiple_products() from MAST's
-- "API examples in Python" page.
-- The products of get_caom_products, then the first two fetched as one
-- tar.gz bundle, mastFiles/mastData.tar.gz in the current directory.
-- Fixes (§12.3): the page indexes the list of products with a string
-- (product_list['dataURI'][:2], a TypeError), writes to an undefined
-- local_path (NameError), computes extension and filename and never uses them,
-- and POSTs to /Download/bundle with no archive type. We take the dataURI of
-- the first two rows and let mast.bundle POST them as uri= fields to
-- /api/v0.1/Download/bundle.tar.gz, writing mastData + the extension. The
-- cone search's fix (§12.6) applies too.
local mast = require "mast"

local observations = mast.caom.cone {
  ra = 254.28746, dec = -4.09933, radius = 0.2,
  pagesize = 5000, page = 1, removenullcolumns = true, timeout = 3, cachebreaker = true,
}
local obs = observations.data[2]
if not obs then error(("the cone search found %d observations; the example needs 2"):format(observations:count())) end
local products = mast.caom.products { obsid = obs.obsid, pagesize = 4, page = 1 }
local uris = {}
for i = 1, math.min(2, products:count()) do uris[i] = products.data[i].dataURI end
if #uris == 0 then error(("observation %s has no products"):format(tostring(obs.obsid))) end

local extension = ".tar.gz"
local filename = "mastData"
local bundle = mast.bundle(uris, "mastFiles/" .. filename .. extension, { progress = false })
print(("bundled %d products: %d bytes -> %s"):format(#uris, bundle.bytes, bundle.path))
for _, uri in ipairs(uris) do print("  " .. uri) end
