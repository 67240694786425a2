-- Every script in scripts/examples runs against the local MAST sandbox: none
-- errors, none of the page's 52 examples is missing, each sends the page's
-- requests (integration/examples_page.lua, §12 fixes applied) in order, byte
-- for byte, and prints what came back. Scripts run in a fresh temporary
-- directory, under the interpreter running this spec (build/mast, or stock
-- lua5.4 with mast on its paths).
local mast = require "mast"
local query = require "mast.query"
local result = require "mast.result"
local PAGE = require "integration.examples_page"
local R = PAGE.requests

local DIR = H.root .. "/scripts/examples"

local function interpreter()
  if package.preload["mast"] then return H.quote(H.bin) end   -- the mast host embeds its modules
  local build = os.getenv("MAST_BUILD_DIR") or (H.root .. "/build")
  return ("MAST_SOURCE_DIR=%s MAST_BUILD_DIR=%s %s"):format(H.quote(H.root), H.quote(build),
    H.quote(H.root .. "/spec/tools/stock-lua"))
end

local function scripts_on_disk()
  local names = {}
  local p = io.popen("ls " .. H.quote(DIR))
  for line in p:lines() do
    local name = line:match("^(.+)%.lua$")
    if name then names[#names + 1] = name end
  end
  p:close()
  return names
end

local function exists(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local size = f:seek("end")
  f:close()
  return size
end

-- Runs a script in a new directory: code, stdout, stderr, directory.
local function run(name)
  local dir = H.tmpdir()
  local code, out, err = H.sh(("cd %s && MAST_PROGRESS=off %s %s"):format(H.quote(dir), interpreter(),
    H.quote(DIR .. "/" .. name .. ".lua")))
  return code, out, err, dir
end

-- The invoke requests received, a request resent while EXECUTING counted once.
local function invokes()
  local out = {}
  for _, q in ipairs(H.invokes()) do
    if #out == 0 or out[#out].body ~= q.body then out[#out + 1] = q end
  end
  return out
end

local function cachebreaker_of(q)
  local cb = q.request.cachebreaker
  assert.matches(PAGE.CACHEBREAKER, cb)
  assert.equal(cb, q.request.params.cachebreaker)
  return cb
end

-- The page's requests for a script, given what it sent (for the cachebreaker),
-- its chain followed with answers asked for here.
local function expected_requests(name, log)
  if name == "caom_cone_search" then return { R.caom_cone_search(cachebreaker_of(log[1])) } end
  local first = PAGE.first[name]
  if not first then return { R[name]() } end
  local e1 = R[first](first == "caom_cone_search" and cachebreaker_of(log[1]) or nil)
  local a1 = mast.query(e1)
  local e2
  if name == "get_hscv2_matches" or name == "get_hscv3_matches" then
    e2 = R[name](a1.data[1].MatchID)
  elseif name == "get_vo_data" then
    e2 = R.get_vo_data(a1.data[3].tableURL)
  elseif name == "crossmatch_from_cone_search" then
    e2 = R.crossmatch_from_cone_search(a1)
  else   -- products of the cone's second observation
    e2 = R.get_caom_products(a1.data[2].obsid)
  end
  return { e1, e2 }
end

local function is_count(request)
  local p = request.params
  return (p and p.columns == "COUNT_BIG(*)") or request.service:match("%.Count$") ~= nil
end

-- What the script must have printed about the last answer.
local function check_output(name, out, last)
  if name == "resolve_name" then
    for _, m in ipairs(mast.resolver.lookup("M101").resolvedCoordinate) do
      assert.matches(m.canonicalName, out, 1, true)
    end
    return
  end
  if name == "list_caom_missions" then
    for _, m in ipairs(mast.missions.list()) do assert.matches(m, out, 1, true) end
    return
  end
  local answer = mast.query(last)
  if type(answer) == "string" then
    local rows = select(2, answer:gsub("<TR>", ""))
    assert.matches(("with %d rows"):format(rows), out, 1, true)
  elseif is_count(last) then
    local n = math.tointeger(tonumber(answer.data[1].Column1))
    assert.matches(("%d "):format(n), out, 1, true)
  elseif name:match("^download_") then
    return
  else
    assert.is_true(result.is_result(answer))
    assert.matches(("%s: %d row"):format(last.service, answer:count()), out, 1, true)
  end
end

describe("the examples in scripts/examples", function()
  before_each(H.reset)

  it("are all there: one per example of the page, named as its Python function", function()
    local on_disk = {}
    for _, n in ipairs(scripts_on_disk()) do on_disk[n] = true end
    local missing = {}
    for _, n in ipairs(PAGE.names) do
      if not on_disk[n] then missing[#missing + 1] = n end
    end
    assert.same({}, missing)
    assert.equal(52, #PAGE.names)
  end)

  for _, name in ipairs(scripts_on_disk()) do
    it(name .. ".lua runs and sends the page's requests", function()
      local code, out, err, dir = run(name)
      assert.equal(0, code, ("%s.lua failed:\n%s%s"):format(name, out, err))
      assert.equal("", err)
      assert.is_true(#out > 0, "it printed nothing")
      local source = H.read(DIR .. "/" .. name .. ".lua")
      if not R[name] and not PAGE.first[name] then return end   -- a script the page does not have
      -- the header names the Python function and says what was fixed
      assert.matches(("^#!/usr/bin/env mast\n%%-%%- %s: a port of %s%%(%%)"):format(name, name), source)
      assert.matches("\n%-%- Fixes", source)

      local log = invokes()
      local expected = expected_requests(name, log)
      assert.equal(#expected, #log, name .. ": number of requests")
      for i, e in ipairs(expected) do
        assert.equal(query.encode(e), log[i].body, ("%s: request %d (%s)"):format(name, i, e.service))
      end
      check_output(name, out, expected[#expected])
      os.execute("rm -rf " .. H.quote(dir))
    end)
  end
end)

describe("the download examples", function()
  before_each(H.reset)

  local function requests_to(pattern)
    local out = {}
    for _, q in ipairs(H.requests()) do
      if q.path:match(pattern) then out[#out + 1] = q end
    end
    return out
  end

  local function products()
    local cone = mast.query(R.caom_cone_search("2024-05-01 12:00:00"))
    return mast.query(R.get_caom_products(cone.data[2].obsid))
  end

  it("download_individual_products GETs Download/file?uri= and writes mastFiles/<collection>/<obs_id>/<file>",
    function()
      local code, out, err, dir = run("download_individual_products")
      assert.equal(0, code, out .. err)
      local gets = requests_to("^/api/v0%.1/Download/file")
      assert.equal(1, #gets)
      assert.equal("GET", gets[1].method)
      local product = products().data[1]
      assert.equal("uri=" .. require("mast.core").urlencode(product.dataURI, ":/"), gets[1].query)
      local path = table.concat({ dir, "mastFiles", product.obs_collection, product.obs_id,
                                  product.productFilename }, "/")
      assert.equal(product.size, exists(path))
      assert.is_nil(exists(path .. ".part"))
      assert.matches(("downloaded %d bytes"):format(product.size), out, 1, true)
      os.execute("rm -rf " .. H.quote(dir))
    end)

  it("download_multiple_products POSTs the first two dataURIs to Download/bundle.tar.gz", function()
    local code, out, err, dir = run("download_multiple_products")
    assert.equal(0, code, out .. err)
    local posts = requests_to("^/api/v0%.1/Download/bundle")
    assert.equal(1, #posts)
    assert.equal("POST", posts[1].method)
    assert.equal("/api/v0.1/Download/bundle.tar.gz", posts[1].path)
    local rows = products().data
    local core = require "mast.core"
    assert.equal("uri=" .. core.urlencode(rows[1].dataURI, "") .. "&uri=" .. core.urlencode(rows[2].dataURI, ""),
      posts[1].body)
    local archive = H.read(dir .. "/mastFiles/mastData.tar.gz")
    assert.equal("\31\139", archive:sub(1, 2))   -- gzip
    assert.matches(("%d bytes"):format(#archive), out, 1, true)
    os.execute("rm -rf " .. H.quote(dir))
  end)

  it("download_hsc_spectra GETs the first three spectra from the HLA into mastFiles/", function()
    local code, out, err, dir = run("download_hsc_spectra")
    assert.equal(0, code, out .. err)
    local gets = requests_to("^/cgi%-bin/")
    assert.equal(3, #gets)
    local spectra = mast.query(R.download_hsc_spectra())
    for i = 1, 3 do
      local row = spectra.data[i]
      local q = gets[i]
      assert.equal("GET", q.method)
      local file
      if row.SpectrumType < 2 then
        assert.equal("/cgi-bin/getdata.cgi", q.path)
        assert.matches("dataset=", q.query, 1, true)
        file = row.DatasetName
      else
        assert.equal("/cgi-bin/ecfproxy", q.path)
        assert.matches("file_id=", q.query, 1, true)
        file = row.DatasetName .. ".fits"
      end
      local size = exists(dir .. "/mastFiles/" .. file)
      assert.is_true(size and size > 0, "missing " .. file)
      assert.matches(("%d bytes -> mastFiles/%s"):format(size, file), out, 1, true)
    end
    os.execute("rm -rf " .. H.quote(dir))
  end)
end)
