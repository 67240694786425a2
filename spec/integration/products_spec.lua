-- Data products: listing for many observations, filtering, downloading with a manifest.
local mast = require "mast"
local core = require "mast.core"

local function cone_obsids(n)
  local cone = mast.caom.cone { ra = 10, dec = 20, radius = 2, pagesize = 2000, page = 1 }
  assert(#cone.data >= n, "the sandbox cone has too few observations")
  local ids = {}
  for i = 1, n do ids[i] = cone.data[i].obsid end
  return ids
end

local function products_requests()
  local out = {}
  for _, r in ipairs(H.invokes()) do
    if r.request.service == "Mast.Caom.Products" then out[#out + 1] = r end
  end
  return out
end

describe("mast.products", function()
  before_each(H.reset)

  it("asks for at most 500 obsids a request and joins the answers in order", function()
    local ids = cone_obsids(1200)
    H.reset()
    local all = mast.products(ids)
    local sent = products_requests()
    assert.equal(3, #sent)
    local counts = {}
    for i, r in ipairs(sent) do
      local obsid = r.request.params.obsid
      local n = select(2, tostring(obsid):gsub(",", ",")) + 1
      counts[i] = n
    end
    table.sort(counts)
    assert.same({ 200, 500, 500 }, counts)
    -- every observation is represented, in the order asked
    local order, seen = {}, {}
    for _, row in ipairs(all.data) do
      local id = row.obsID
      if not seen[id] then
        seen[id] = true
        order[#order + 1] = id
      end
    end
    assert.equal(1200, #order)
    for i = 1, 1200 do assert.equal(ids[i], order[i]) end
    assert.equal(#all.data, all.paging.rowsFiltered)
  end)

  it("takes one obsid as an integer and sends it as one", function()
    local id = cone_obsids(1)[1]
    H.reset()
    local p = mast.products(id)
    assert.is_true(#p.data > 0)
    assert.equal(id, products_requests()[1].request.params.obsid)
  end)

  it("takes an observations result, a row, obsids, or a mix, asking each obsid once", function()
    local obs = mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.2 }
    H.reset()
    local a = mast.products(obs)
    local want = {}
    for i, row in ipairs(obs.data) do want[i] = tostring(row.obsid) end
    local sent = products_requests()
    assert.equal(1, #sent)
    assert.equal(table.concat(want, ","), tostring(sent[1].request.params.obsid))
    H.reset()
    local b = mast.products({ obs.data[1], obs.data[2].obsid, { obs.data[1] }, tostring(obs.data[3].obsid) })
    assert.equal(("%s,%s,%s"):format(want[1], want[2], want[3]), tostring(products_requests()[1].request.params.obsid))
    assert.is_true(a:count() >= b:count() and b:count() > 0)
    H.raises("usage", mast.products, { { obs_id = "U9O40504M" } })
  end)

  it("refuses what is not an obsid", function()
    local e = H.raises("usage", mast.products, { "U9O40504M" })
    assert.matches("obsid 1 must be an integer", e.message)
    H.raises("usage", mast.products, {})
    assert.equal(0, #H.requests())
  end)
end)

describe("mast.filter_products", function()
  local rows = {
    { dataURI = "mast:A/a.fits", productType = "SCIENCE", productFilename = "a_drz.fits",
      productSubGroupDescription = "DRZ", calib_level = 3, productGroupDescription = "Minimum Recommended Products" },
    { dataURI = "mast:A/b.fits.gz", productType = "SCIENCE", productFilename = "b_flt.fits.gz",
      productSubGroupDescription = "FLT", calib_level = 2, productGroupDescription = mast.null },
    { dataURI = "mast:A/c.jpg", productType = "PREVIEW", productFilename = "c.jpg",
      productSubGroupDescription = mast.null, calib_level = 3, productGroupDescription = mast.null },
    { dataURI = "mast:A/a.fits", productType = "SCIENCE", productFilename = "a_drz.fits",
      productSubGroupDescription = "DRZ", calib_level = 3, productGroupDescription = "Minimum Recommended Products" },
  }

  local function uris(r)
    local out = {}
    for i, row in ipairs(r.data) do out[i] = row.dataURI end
    return out
  end

  it("keeps rows matching every criterion and drops repeated dataURIs", function()
    assert.same({ "mast:A/a.fits", "mast:A/b.fits.gz" }, uris(mast.filter_products(rows, { productType = "SCIENCE" })))
    assert.same({ "mast:A/a.fits" }, uris(mast.filter_products(rows, { extension = "fits" })))
    assert.same({ "mast:A/a.fits" }, uris(mast.filter_products(rows, { extension = ".fits" })))
    assert.same({ "mast:A/b.fits.gz" }, uris(mast.filter_products(rows, { extension = "fits.gz" })))
    assert.same({ "mast:A/c.jpg" }, uris(mast.filter_products(rows, { extension = { "jpg", "png" } })))
    assert.same({ "mast:A/b.fits.gz" }, uris(mast.filter_products(rows, { productSubGroupDescription = { "FLT" } })))
    assert.same({ "mast:A/a.fits", "mast:A/c.jpg" }, uris(mast.filter_products(rows, { calib_level = 3 })))
    assert.same({ "mast:A/a.fits" }, uris(mast.filter_products(rows, { mrp_only = true })))
    assert.same({ "mast:A/a.fits", "mast:A/b.fits.gz", "mast:A/c.jpg" }, uris(mast.filter_products(rows, {})))
    assert.same({}, uris(mast.filter_products(rows, { productType = "SCIENCE", calib_level = 1 })))
  end)

  it("takes a products result and returns one", function()
    local p = mast.filter_products({ fields = { { name = "dataURI", type = "string" } }, data = rows },
      { productType = "PREVIEW" })
    assert.equal(1, p:count())
    assert.equal("dataURI", p.fields[1].name)
  end)

  it("refuses a column the products do not have, naming the closest", function()
    local e = H.raises("usage", mast.filter_products, rows, { productTyp = "SCIENCE" })
    assert.matches("unknown product column 'productTyp' (did you mean 'productType'?)", e.message, 1, true)
  end)

  it("filters on any column: lists, negation, ranges, wildcards, case, predicates", function()
    assert.same({ "mast:A/a.fits" },
      uris(mast.filter_products(rows, { productGroupDescription = "Minimum Recommended Products" })))
    assert.same({ "mast:A/a.fits", "mast:A/b.fits.gz" }, uris(mast.filter_products(rows, { productType = "!PREVIEW" })))
    assert.same({ "mast:A/a.fits", "mast:A/b.fits.gz" }, uris(mast.filter_products(rows, { producttype = "science" })))
    assert.same({ "mast:A/b.fits.gz" }, uris(mast.filter_products(rows, { calib_level = "1..2" })))
    assert.same({ "mast:A/a.fits", "mast:A/c.jpg" }, uris(mast.filter_products(rows, { calib_level = ">=3" })))
    assert.same({ "mast:A/b.fits.gz" }, uris(mast.filter_products(rows, { calib_level = "<3" })))
    assert.same({ "mast:A/a.fits", "mast:A/b.fits.gz" },
      uris(mast.filter_products(rows, { productFilename = "*_*.fits*" })))
    assert.same({ "mast:A/c.jpg" }, uris(mast.filter_products(rows, { extension = { "!fits", "!gz" } })))
    assert.same({ "mast:A/b.fits.gz" }, uris(mast.filter_products(rows, { extension = "GZ" })))
    assert.same({ "mast:A/c.jpg" }, uris(mast.filter_products(rows,
      { productSubGroupDescription = function(v) return v == mast.null end })))
    assert.same({ "mast:A/a.fits" },
      uris(mast.filter_products(rows, { productType = { "SCIENCE", "!x" }, calib_level = 3 })))
    H.raises("usage", mast.filter_products, rows, { calib_level = ">x" })
    H.raises("usage", mast.filter_products, rows, { calib_level = {} })
    -- still a printable result
    assert.matches("filtered products", tostring(mast.filter_products(rows, { productType = "SCIENCE" })))
  end)

  it("unique_products drops repeated files, keeping the first", function()
    assert.same({ "mast:A/a.fits", "mast:A/b.fits.gz", "mast:A/c.jpg" }, uris(mast.unique_products(rows)))
  end)
end)

describe("mast.download_products", function()
  local dir
  H.dir_each(function(d) dir = d end)

  local function product(coll, obs, name, size, uri)
    return { obs_collection = coll, obs_id = obs, productFilename = name, size = size,
             dataURI = uri or ("mast:SANDBOX/size/%d/%s"):format(size, name) }
  end

  it("lays files out as mastDownload/<collection>/<obs_id>/<file> and returns a manifest", function()
    local rows = { product("HST", "U1", "a.fits", 1000), product("HST", "U1", "b.fits", 2000),
                   product("GALEX", "G7", "c.fits", 3000) }
    local manifest = mast.download_products(rows, dir)
    assert.equal(3, #manifest)
    for i, e in ipairs(manifest) do
      assert.equal("COMPLETE", e.status, e.message)
      local want = ("%s/mastDownload/%s/%s/%s"):format(dir, rows[i].obs_collection, rows[i].obs_id,
        rows[i].productFilename)
      assert.equal(want, e.local_path)
      assert.equal(rows[i].size, select(2, core.stat(want)))
      assert.equal(rows[i].dataURI, e.uri)
      assert.matches("/api/v0%.1/Download/file%?uri=", e.url)
    end
  end)

  it("lays them flat on request, and skips files already there", function()
    local rows = { product("HST", "U1", "a.fits", 1000), product("HST", "U2", "b.fits", 2000) }
    mast.download_products(rows, dir, { flat = true })
    assert.equal("file", core.stat(dir .. "/a.fits"))
    H.reset()
    local again = mast.download_products(rows, dir, { flat = true })
    assert.equal("SKIPPED", again[1].status)
    assert.equal("SKIPPED", again[2].status)
    assert.equal(0, #H.requests())
  end)

  it("refuses hostile names from the server, downloads the rest, and writes nothing outside dir", function()
    local parent = dir .. "/inside"
    os.execute("mkdir -p " .. H.quote(parent))
    local rows = {
      product("HST", "U1", "good.fits", 100),
      product("HST", "..", "x.fits", 100),
      product("..", "U1", "y.fits", 100),
      product("HST", "U1", "../../escape.fits", 100, "mast:SANDBOX/size/100/escape.fits"),
      product("HST", "U1", "/etc/passwd", 100, "mast:SANDBOX/size/100/passwd"),
      product("HST", "U1\0evil", "z.fits", 100),
      product("HST", "U1", "", 100, "mast:SANDBOX/size/100/empty"),
      product("HST", "a/b", "w.fits", 100),
    }
    local manifest = mast.download_products(rows, parent)
    assert.equal("COMPLETE", manifest[1].status)
    for i = 2, #rows do
      assert.equal("ERROR", manifest[i].status, "row " .. i)
      assert.matches("refused", manifest[i].message)
    end
    assert.matches("obs_id '%.%.'", manifest[2].message)
    assert.matches("obs_collection '%.%.'", manifest[3].message)
    assert.matches("contains '/'", manifest[4].message)
    assert.matches("NUL", manifest[6].message)
    -- only the good file exists anywhere below dir
    local p = io.popen("cd " .. H.quote(dir) .. " && find . -type f | sort")
    local files = p:read("a")
    p:close()
    assert.equal("./inside/mastDownload/HST/U1/good.fits\n", files)
    -- and only it was asked for
    assert.equal(1, #H.requests())
  end)

  it("reports a failed product in its entry and goes on with the others", function()
    local gone = product("HST", "U1", "gone.fits", 100, "mast:SANDBOX/missing/gone.fits")
    local rows = { product("HST", "U1", "a.fits", 100), gone, product("HST", "U1", "c.fits", 300) }
    local manifest = mast.download_products(rows, dir)
    assert.equal("COMPLETE", manifest[1].status)
    assert.equal("ERROR", manifest[2].status)
    assert.matches("404", manifest[2].message)
    assert.is_nil(core.stat(manifest[2].local_path))
    assert.equal("COMPLETE", manifest[3].status)
  end)

  it("writes the manifest as CSV on request", function()
    local gone = product("HST", "U1", "gone.fits", 100, "mast:SANDBOX/missing/gone.fits")
    local rows = { product("HST", "U1", "a.fits", 100), gone }
    local path = dir .. "/manifest.csv"
    mast.download_products(rows, dir, { manifest = path })
    local text = H.read(path)
    local lines = {}
    for line in text:gmatch("[^\n]+") do lines[#lines + 1] = line end
    assert.equal("local_path,status,message,url,uri,bytes", lines[1])
    assert.matches("^" .. dir:gsub("%p", "%%%0") .. "/mastDownload/HST/U1/a%.fits,COMPLETE,", lines[2])
    assert.matches(",ERROR,", lines[3])
    assert.is_nil(core.stat(path .. ".part"))
  end)

  it("takes observations and criteria inline: lists their products, filters, downloads", function()
    local obs = mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.2 }
    local first = { data = { obs.data[1] }, fields = obs.fields }
    local all = mast.products(first)
    local science = mast.filter_products(all, { productType = "SCIENCE", extension = "fits" })
    local manifest = mast.download_products(first, dir, { productType = "SCIENCE", extension = "fits" })
    assert.equal(science:count(), #manifest)
    assert.is_true(#manifest > 0)
    for i, e in ipairs(manifest) do
      assert.equal("COMPLETE", e.status, e.message)
      assert.equal(science.data[i].dataURI, e.uri)
    end
    local e = H.raises("usage", mast.download_products, first, dir, { prodcutType = "SCIENCE" })
    assert.matches("did you mean 'productType'", e.message, 1, true)
    assert.matches("or an option of the download: ", e.message, 1, true)
  end)

  it("writes a curl script instead, the token read from the environment, never written", function()
    core.config("token", "sandbox-token")
    local rows = { product("HST", "U1", "a.fits", 1000), product("HST", "U1", "b.fits", 2000) }
    local script = dir .. "/fetch.sh"
    local manifest = mast.download_products(rows, dir .. "/data", { script = script })
    assert.equal("SCRIPTED", manifest[1].status)
    assert.is_nil(core.stat(manifest[1].local_path))
    local text = H.read(script)
    assert.is_nil(text:find("sandbox-token", 1, true))
    assert.matches("$MAST_API_TOKEN", text, 1, true)
    -- it works: run it (with the token from the environment) and the files are whole
    local code, _, err = H.sh("MAST_API_TOKEN=sandbox-token sh " .. H.quote(script))
    assert.equal(0, code, err)
    for i, e in ipairs(manifest) do
      assert.equal(rows[i].size, select(2, core.stat(e.local_path)))
      assert.is_nil(core.stat(e.local_path .. ".part"))
    end
    local sent = H.requests()
    assert.equal("token sandbox-token", sent[#sent].headers["authorization"])
  end)

  it("says on the terminal how many products failed", function()
    local script = dir .. "/dl.lua"
    H.write(script, ("local mast = require 'mast'\n"
      .. "local m = mast.download_products({{obs_collection = 'HST', obs_id = 'U1', productFilename = 'a.fits', "
      .. "size = 100, dataURI = 'mast:SANDBOX/size/100/a.fits'}, {obs_collection = 'HST', obs_id = 'U1', "
      .. "productFilename = 'gone.fits', size = 100, dataURI = 'mast:SANDBOX/missing/gone.fits'}}, %q)\n"
      .. "print(m[1].status, m[2].status)\n"):format(dir .. "/t"))
    local code, out, err = H.mast({ script }, nil, { MAST_PROGRESS = "on" })
    assert.equal(0, code, err)
    assert.matches("COMPLETE\tERROR", out)
    assert.matches("mast.download_products: 1 of 2 products failed (the first: ", err, 1, true)
    local _, _, quiet = H.mast({ script }, nil, { MAST_PROGRESS = "off" })
    assert.is_nil(quiet:find("products failed", 1, true))
  end)

  it("with strict = true a failed product raises, naming how many failed", function()
    local gone = product("HST", "U1", "gone.fits", 100, "mast:SANDBOX/missing/gone.fits")
    local rows = { product("HST", "U1", "a.fits", 100), gone, product("HST", "U1", "c.fits", 300) }
    local e = H.raises("http", mast.download_products, rows, dir, { strict = true })
    assert.matches("1 of 3 products failed", e.message, 1, true)
    assert.equal(3, #e.manifest)
    assert.equal("COMPLETE", e.manifest[3].status)
  end)

  it("takes the products of a real observation end to end", function()
    local cone = mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.2 }
    local products = mast.filter_products(mast.products(cone.data[1].obsid), { productType = "SCIENCE" })
    assert.is_true(products:count() > 0)
    local manifest = mast.download_products(products, dir)
    for _, e in ipairs(manifest) do
      assert.equal("COMPLETE", e.status, e.message)
      assert.equal("file", core.stat(e.local_path))
    end
  end)
end)
