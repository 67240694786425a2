-- Run under valgrind by ctest (valgrind-workout): the parts of mast that the
-- example script does not reach -- paging, concurrent queries, downloads
-- (resumed, concurrent, a bundle extracted), failures of every kind, and the
-- JSON codec -- so that their error paths are memchecked too.
local mast = require "mast"
local core = require "mast.core"

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local base = mast.config("base_url")
local function faults(rules)
  core.request { method = "POST", url = base .. "/__sandbox/reset", body = "{}" }
  core.request { method = "POST", url = base .. "/__sandbox/faults", body = mast.json.encode { faults = rules } }
end
mast.config { retry_delay = 0.01 }

-- queries: paged, concurrent, printed, failing
local all = mast.query_all({ service = "Mast.Caom.Cone", params = { ra = 254.28746, dec = -4.09933, radius = 0.2 } },
                           { pagesize = 100 })
print(all:count(), #tostring(all))
local many = mast.query_many {
  { service = "Mast.Name.Lookup", params = { input = "M101" } },
  { service = "Mast.No.Such.Service" },
  { service = "Mast.Catalogs.Tic.Cone", params = { ra = 254.35, dec = -4.1, radius = 0.01 } },
}
print(#many, mast.is_error(many[2], "mast"))
faults { { kind = "drop", after_bytes = 500, match = { path = "/api/v0/invoke" } },
         { kind = "status", status = 503, match = { path = "/api/v0/invoke" } },
         { kind = "malformed", match = { service = "Mast.Name.Lookup" } } }
print(pcall(mast.query, { service = "Mast.Caom.Cone", params = { ra = 1, dec = 1, radius = 0.1 } }))
print(pcall(mast.query, { service = "Mast.Name.Lookup", params = { input = "M1" } }))
print(pcall(mast.query, { serviice = "x" }))

-- downloads: cut and resumed, concurrent, refused, a bundle extracted
faults { { kind = "drop", after_bytes = 100000, match = { uri = "cut.fits" } } }
print(mast.download("mast:SANDBOX/size/400000/cut.fits", dir .. "/cut.fits").resumed)
local items = {}
for i = 1, 6 do items[i] = { uri = ("mast:SANDBOX/size/%d/f%d.fits"):format(1000 * i, i), dest = dir .. "/f" .. i } end
items[7] = { uri = "mast:SANDBOX/missing/x.fits", dest = dir .. "/x" }
for _, r in ipairs(mast.download_many(items)) do io.write(tostring(r.ok), " ") end
print()
print(pcall(mast.download, "mast:SANDBOX/size/100/cb.fits", dir .. "/cb", { progress = function() error("no") end }))
local b = mast.bundle({ "mast:SANDBOX/size/3000/a.fits", "mast:SANDBOX/size/5000/b.fits" }, dir .. "/b.zip",
                      { extract = dir .. "/x" })
print(#b.files)
print(pcall(mast.bundle, { "mast:SANDBOX/hostile/symlink" }, dir .. "/h.tar.gz", { extract = dir .. "/h" }))

-- the codec on awkward input
print(pcall(mast.json.decode, ("["):rep(2000)))
print(#mast.json.encode(mast.json.decode('{"a":[1,2.5,"\\u00e9",null,{}],"b":5853498713190525696}')))
os.execute("rm -rf " .. dir)
