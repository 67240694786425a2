-- mast.cloud_uris and download_products{source = "cloud" | "auto"}: MAST's path_lookup and
-- its public bucket, against the sandbox (the bucket is on its alt listener).
local mast = require "mast"
local core = require "mast.core"

local function requests(pattern)
  local out = {}
  for _, r in ipairs(H.requests()) do
    if r.path:match(pattern) then out[#out + 1] = r end
  end
  return out
end

local function jwst_products()
  local obs = mast.caom.cone { ra = 254.28746, dec = -4.09933, radius = 0.2 }
  return mast.products(obs.data[1].obsid)
end

describe("mast.cloud_uris", function()
  before_each(H.reset)

  it("gives the recorded path_lookup answer as an s3 location and an HTTPS URL", function()
    local rec = core.json_decode(H.fixture("astroquery-main/mast_relative_path.json"))
    local uris = {}
    for uri in pairs(rec) do uris[#uris + 1] = uri end
    table.sort(uris)
    local c = mast.cloud_uris(uris)
    for i, uri in ipairs(uris) do
      if rec[uri].status_code == 200 then
        assert.equal("s3://stpubdata" .. rec[uri].path, c[i].s3)
        assert.equal(os.getenv("MAST_CLOUD_URL") .. rec[uri].path, c[i].url)
      else
        assert.is_nil(c[i].url)
        assert.matches("not in the public bucket", c[i].reason)
      end
    end
    local q = requests("^/api/v0%.1/path_lookup")[1].query
    assert.matches("use_cloud_path=True", q, 1, true)
  end)

  it("asks 40 uris a request, and never for an exclusive-access product", function()
    local rows = {}
    for i = 1, 85 do
      rows[i] = { dataURI = ("mast:HST/product/u9o4%04dm_c3m.fits"):format(i), dataRights = "PUBLIC" }
    end
    rows[86] = { dataURI = "mast:HST/product/secret_raw.fits", dataRights = "EXCLUSIVE_ACCESS" }
    local c = mast.cloud_uris(rows)
    assert.equal(86, #c)
    assert.equal(3, #requests("^/api/v0%.1/path_lookup"))
    assert.matches("exclusive access", c[86].reason)
    for _, r in ipairs(requests("^/api/v0%.1/path_lookup")) do
      assert.is_nil(r.query:find("secret", 1, true))
    end
  end)
end)

describe("mast.download_products from the cloud", function()
  before_each(H.reset)

  it("fetches public files from the bucket, the same bytes as from MAST, with no token", function()
    local p = jwst_products()
    local dir = H.tmpdir()
    core.config("token", "sandbox-token")
    local from_mast = mast.download_products(p, dir .. "/m")
    local from_cloud = mast.download_products(p, dir .. "/c", { source = "cloud" })
    for i, e in ipairs(from_cloud) do
      assert.equal("COMPLETE", e.status, e.message)
      assert.equal("cloud", e.source)
      assert.matches("^" .. os.getenv("MAST_CLOUD_URL"):gsub("%p", "%%%0"), e.url)
      assert.equal(H.read(from_mast[i].local_path), H.read(e.local_path))
      assert.is_nil(core.stat(e.local_path .. ".part"))
    end
    local bucket = requests("^/stpubdata/jwst/")
    assert.equal(#p.data, #bucket)
    for _, r in ipairs(bucket) do assert.is_nil(r.headers["authorization"]) end
    os.execute("rm -rf " .. H.quote(dir))
  end)

  it("auto falls back to MAST for a file the bucket lacks; cloud says why it failed", function()
    local p = jwst_products()
    local dir = H.tmpdir()
    H.faults { { kind = "status", status = 404, times = -1, match = { listener = "alt", path = "/stpubdata/jwst/" } } }
    local auto = mast.download_products(p, dir .. "/a", { source = "auto" })
    for _, e in ipairs(auto) do
      assert.equal("COMPLETE", e.status, e.message)
      assert.equal("mast", e.source)
      assert.matches("404", e.cloud_error)
    end
    local cloud = mast.download_products(p, dir .. "/c", { source = "cloud" })
    for _, e in ipairs(cloud) do
      assert.equal("ERROR", e.status)
      assert.matches("404", e.message)
      assert.is_nil(core.stat(e.local_path))
    end
    -- an exclusive-access product is never fetched from the bucket
    local rows = { { dataURI = "mast:SANDBOX/eap/1000/eap_file.fits", dataRights = "EXCLUSIVE_ACCESS",
                     productFilename = "eap_file.fits", obs_collection = "SANDBOX", obs_id = "eap", size = 1000 } }
    local m = mast.download_products(rows, dir .. "/x", { source = "cloud" })
    assert.equal("ERROR", m[1].status)
    assert.matches("exclusive access", m[1].message)
    H.raises("usage", mast.download_products, p, dir, { source = "s3" })
    os.execute("rm -rf " .. H.quote(dir))
  end)
end)
