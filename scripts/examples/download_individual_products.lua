#!/usr/bin/env mast
-- download_individual_products: a port of download_individual_products() from MAST's
-- "API examples in Python" page.
-- The products of get_caom_products, then the first one downloaded to
-- mastFiles/<obs_collection>/<obs_id>/<file> in the current directory.
-- Fixes (§12.4): the page's download_request, documented as a GET, POSTs the
-- bare dataURI as the request body; mast.download GETs
-- <base>/api/v0.1/Download/file?uri=<dataURI>, MAST's documented form, checks
-- the size against the product's, and renames the file into place only when
-- it is complete. The cone search's fix (§12.6) applies too.
local mast = require "mast"

local observations = mast.caom.cone {
  ra = 254.28746, dec = -4.09933, radius = 0.2,
  pagesize = 5000, page = 1, removenullcolumns = true, timeout = 3, cachebreaker = true,
}
local obs = observations.data[2]
if not obs then error(("the cone search found %d observations; the example needs 2"):format(observations:count())) end
local products = mast.caom.products { obsid = obs.obsid, pagesize = 4, page = 1 }
local product = products.data[1]
if not product then error(("observation %s has no products"):format(tostring(obs.obsid))) end

-- the names come from the server: never let one climb out of mastFiles/
local function part(name)
  name = tostring(name)
  if name == "" or name == "." or name == ".." or name:find("/", 1, true) then
    error(("refusing the name '%s' for a local path"):format(name))
  end
  return name
end
local filename = tostring(product.productFilename):match("[^/]+$") or ""
local local_path = table.concat({ "mastFiles", part(product.obs_collection), part(product.obs_id),
                                  part(filename) }, "/")
print(("%s: %s"):format(product.dataURI, local_path))
local size = math.type(product.size) == "integer" and product.size or nil
local got = mast.download(product.dataURI, local_path, { size = size, progress = false })
print(("downloaded %d bytes (HTTP %d)%s"):format(got.bytes, got.status, got.skipped and ", already there" or ""))
