-- mast.sky: angular separation and the local cross-match of two datasets.
local mast = require "mast"
local core = require "mast.core"
local coords = require "mast.coords"
local dataset = require "mast.dataset"
local sky = mast.sky

local NULL = core.null

local function usage_msg(f, ...)
  local ok, e = pcall(f, ...)
  assert.is_false(ok, "expected a usage error")
  assert.equal("usage", e.code)
  return tostring(e)
end

local function near(want, got, tol)
  assert.is_true(math.abs(want - got) <= (tol or 1e-12), ("%.17g vs %.17g"):format(want, got))
end

describe("mast.sky.separation", function()
  it("gives known separations in degrees", function()
    near(1, sky.separation(10, 20, 10, 21))                 -- 1 degree along a meridian
    near(1, sky.separation(0, 89.5, 180, 89.5))             -- across the north pole
    near(1, sky.separation(90, -89.5, 270, -89.5))          -- and the south one
    near(1, sky.separation(359.5, 0, 0.5, 0))               -- across RA 0/360
    near(180, sky.separation(0, 0, 180, 0))                 -- antipodal
    near(180, sky.separation(10, 30, 190, -30))
    near(90, sky.separation(0, 0, 0, 90))
    assert.equal(0, sky.separation(123.4, -56.7, 123.4, -56.7))
  end)

  it("is stable for tiny separations and near antipodes", function()
    -- 1 micro-arcsecond: the cosine formula gives 0 here
    near(1e-6 / 3600, sky.separation(200, 0, 200, 1e-6 / 3600), 1e-20)
    near(1e-6 / 3600, sky.separation(-0.5e-6 / 3600, 0, 0.5e-6 / 3600, 0), 1e-20)
    near(180 - 1e-6 / 3600, sky.separation(0, 0, 180, 1e-6 / 3600), 1e-10)
  end)

  it("takes two positions: rows or {ra =, dec =} tables or {ra, dec}", function()
    near(1, sky.separation({ ra = 10, dec = 20 }, { ra = 10, dec = 21 }))
    near(1, sky.separation({ s_ra = 10, s_dec = 20, obsid = "x" }, { RAJ2000 = 10, DEJ2000 = 21 }))
    near(1, sky.separation({ 10, 20 }, { 10, 21 }))
  end)

  it("names what is wrong", function()
    assert.matches("declination of the second position", usage_msg(sky.separation, 10, 20, 10, 91))
    assert.matches("right ascension of the first position", usage_msg(sky.separation, "x", 20, 10, 21))
    assert.matches("declination of the first position must be a number.*null",
                   usage_msg(sky.separation, { ra = 1, dec = NULL }, { ra = 1, dec = 2 }))
    assert.matches("second position has no position columns.*keys: x, y",
                   usage_msg(sky.separation, { ra = 1, dec = 2 }, { x = 1, y = 2 }))
    assert.matches("not both", usage_msg(sky.separation, { ra = 1, dec = 2 }, { ra = 1, dec = 2 }, 3))
  end)
end)

-- ---------------------------------------------------------------- match

local FIELDS_A = { { name = "id", type = "int" }, { name = "ra", type = "float" }, { name = "dec", type = "float" },
                   { name = "mag", type = "float" } }
local FIELDS_B = { { name = "id", type = "int" }, { name = "ra", type = "float" }, { name = "dec", type = "float" },
                   { name = "name", type = "string" } }

-- n random rows in the awkward places: both poles, across RA 0/360, plus
-- some nulls and strings for coordinates; copies: rows of `from` repeated.
local function random_rows(n, seed, copies)
  math.randomseed(seed)
  local rows = {}
  for i = 1, n do
    local kind, ra, dec = i % 4
    if kind == 0 then ra, dec = math.random() * 360, 90 - math.random() * 0.02          -- north pole cap
    elseif kind == 1 then ra, dec = math.random() * 360, -90 + math.random() * 0.02     -- south pole cap
    elseif kind == 2 then ra, dec = (math.random() - 0.5) * 0.04 % 360, (math.random() - 0.5) * 0.02 -- RA 0
    else ra, dec = 120 + math.random() * 0.02, 30 + math.random() * 0.02 end
    if i % 9 == 0 then ra, dec = 90, 90 end        -- exactly at the pole, whatever the RA
    if i % 17 == 0 then ra = NULL end
    if i % 23 == 0 then dec = "1.5" end            -- a string is no number
    rows[i] = { id = seed * 1000 + i, ra = ra, dec = dec, mag = i % 5 == 0 and NULL or i / 10, name = "n" .. i }
  end
  for _, c in ipairs(copies or {}) do
    local r = {}
    for k, v in pairs(c) do r[k] = v end
    r.id = seed * 1000 + #rows + 1
    rows[#rows + 1] = r
  end
  return rows
end

local function valid(r) return type(r.ra) == "number" and type(r.dec) == "number" end

-- every pair within radius (arcsec), by brute force: ordered by a's row, separation, b's row
local function brute(a, b, radius, mode)
  local out = {}
  for i, ra in ipairs(a) do
    local mine = {}
    if valid(ra) then
      for j, rb in ipairs(b) do
        if valid(rb) then
          local s = coords.separation(ra.ra % 360, ra.dec, rb.ra % 360, rb.dec) * 3600
          if s <= radius then mine[#mine + 1] = { i, j, s } end
        end
      end
    end
    table.sort(mine, function(x, y) if x[3] ~= y[3] then return x[3] < y[3] end return x[2] < y[2] end)
    for k = 1, (mode == "all" and #mine or math.min(1, #mine)) do out[#out + 1] = mine[k] end
  end
  return out
end

describe("mast.sky.match", function()
  local ra_rows = random_rows(240, 1)
  local rb_rows = random_rows(300, 2, { ra_rows[4], ra_rows[4], ra_rows[6] })   -- duplicates in b
  local A = dataset.result(ra_rows, FIELDS_A, "a")
  local B = dataset.result(rb_rows, FIELDS_B, "b")

  local function check(res, want, ar, br)
    assert.equal(#want, #res.data)
    for k, w in ipairs(want) do
      local row = res.data[k]
      assert.equal(ar[w[1]].id, row.id_1)
      assert.equal(br[w[2]].id, row.id_2)
      near(w[3], row.sep_arcsec, 1e-9)
    end
  end

  local function rows_of(t)
    local out = {}
    for i = 1, #t do out[i] = t:row(i) end
    return out
  end

  for _, mode in ipairs({ "nearest", "all" }) do
    it("finds what brute force finds (" .. mode .. ": poles, RA 0/360, duplicates, nulls)", function()
      for _, radius in ipairs({ 5, 30, 200 }) do
        local want = brute(ra_rows, rb_rows, radius, mode)
        assert.is_true(#want > 20, "the data should make matches")
        check(sky.match(A, B, { radius = radius, mode = mode }), want, ra_rows, rb_rows)
        -- the same on columnar tables (where json2table made the string "1.5" a number)
        local ta, tb = mast.json2table(A), mast.json2table(B)
        local ar, br = rows_of(ta), rows_of(tb)
        check(sky.match(ta, tb, { radius = radius, mode = mode }), brute(ar, br, radius, mode), ar, br)
      end
    end)
  end

  it("finds what brute force finds when the circles cross many small zones", function()
    -- 1500 rows of b: the kernel cuts the sky into ~3000 zones, each a few times the radius
    math.randomseed(3)
    local function patch(n, first)
      local rows = {}
      for i = 1, n do
        rows[i] = { id = first + i, ra = (math.random() - 0.5) * 0.4 % 360, dec = 60 + math.random() * 0.2 }
      end
      return rows
    end
    local ar, br = patch(600, 0), patch(1500, 10000)
    for _, mode in ipairs({ "nearest", "all" }) do
      local want = brute(ar, br, 20, mode)
      assert.is_true(#want > 300)
      check(sky.match(dataset.result(ar, FIELDS_A), dataset.result(br, FIELDS_B), { radius = 20, mode = mode }),
            want, ar, br)
    end
  end)

  it("matches a duplicate position in b once in nearest mode (the first row) and each time in all", function()
    local a = dataset.result({ { id = 1, ra = 10, dec = 10 } }, FIELDS_A)
    local b = dataset.result({ { id = 5, ra = 10, dec = 10 }, { id = 6, ra = 10, dec = 10 } }, FIELDS_B)
    local r = sky.match(a, b, { radius = 1 })
    assert.equal(1, #r.data)
    assert.equal(5, r.data[1].id_2)
    assert.equal(0, r.data[1].sep_arcsec)
    assert.equal(2, #sky.match(a, b, { radius = 1, mode = "all" }).data)
  end)

  it("is correct at the poles and across RA 0/360 (RA outside 0..360 too)", function()
    local a = dataset.result({ { id = 1, ra = 0, dec = 90 }, { id = 2, ra = 359.9999, dec = 0 },
                               { id = 3, ra = -0.0001, dec = -89.99999 } }, FIELDS_A)
    local b = dataset.result({ { id = 7, ra = 180, dec = 89.9999 }, { id = 8, ra = 0.0001, dec = 0 },
                               { id = 9, ra = 360.0001, dec = -89.99999 } }, FIELDS_B)
    local r = sky.match(a, b, { radius = 1 })
    assert.equal(3, #r.data)
    near(0.36, r.data[1].sep_arcsec, 1e-6)
    near(0.72, r.data[2].sep_arcsec, 1e-6)
    assert.equal(9, r.data[3].id_2)
    assert.is_true(r.data[3].sep_arcsec < 1e-4)
  end)

  it("returns a printable dataset of a's columns, b's and sep_arcsec, clashing names suffixed", function()
    local r = sky.match(A, B, { radius = 30 })
    local names = {}
    for i, f in ipairs(r.fields) do names[i] = f.name .. ":" .. f.type end
    assert.equal("id_1:int,ra_1:float,dec_1:float,mag:float,id_2:int,ra_2:float,dec_2:float,name:string,"
                 .. "sep_arcsec:float", table.concat(names, ","))
    assert.matches("mast.sky.match: %d+ rows, 9 columns", tostring(r))
    r = sky.match(A, B, { radius = 30, suffix = { "", "_cat" } })
    assert.equal("ra", r.fields[2].name)
    assert.equal("ra_cat", r.fields[6].name)
  end)

  it("counts rows without a position, which never match; how = 'left' keeps them with nulls", function()
    local a = dataset.result({ { id = 1, ra = 10, dec = 10 }, { id = 2, ra = NULL, dec = 10 },
                               { id = 3, ra = 10, dec = "10" }, { id = 4, ra = 0 / 0, dec = 10 },
                               { id = 5, ra = 50, dec = 50 } }, FIELDS_A)
    local b = dataset.result({ { id = 6, ra = 10, dec = 10 }, { id = 7, ra = 10, dec = NULL },
                               { id = 8, dec = 10 } }, FIELDS_B)
    local r = sky.match(a, b, { radius = 1 })
    assert.equal(1, #r.data)
    assert.same({ a = 3, b = 2 }, r.skipped)
    assert.matches("3 row%(s%) of a and 2 of b had no position", r.msg)
    r = sky.match(a, b, { radius = 1, how = "left" })
    assert.equal(5, #r.data)
    assert.equal(6, r.data[1].id_2)
    for k = 2, 5 do
      assert.equal(k, r.data[k].id_1)
      assert.equal(NULL, r.data[k].id_2)
      assert.equal(NULL, r.data[k].sep_arcsec)
    end
    assert.equal(NULL, r.data[1].mag)   -- a missing value is a null, not a hole
  end)

  it("finds the position columns people use, or takes them by name", function()
    local a = { fields = { { name = "s_ra" }, { name = "s_dec" } }, data = { { s_ra = 1, s_dec = 2 } } }
    local b = { fields = { { name = "RA_ICRS" }, { name = "DE_ICRS" } }, data = { { RA_ICRS = 1, DE_ICRS = 2 } } }
    assert.equal(1, #sky.match(a, b, { radius = 1 }).data)
    local c = { fields = { { name = "x" }, { name = "y" } }, data = { { x = 1, y = 2 } } }
    assert.equal(1, #sky.match(a, c, { radius = 1, ra = { "s_ra", "x" }, dec = { "s_dec", "y" } }).data)
    assert.equal(1, #sky.match(c, c, { radius = 1, ra = "x", dec = "y" }).data)
  end)

  it("takes a radius with a unit", function()
    local a = dataset.result({ { id = 1, ra = 10, dec = 10 } }, FIELDS_A)
    local b = dataset.result({ { id = 2, ra = 10, dec = 10.01 } }, FIELDS_B)   -- 36 arcsec
    assert.equal(0, #sky.match(a, b, { radius = 30 }).data)
    assert.equal(1, #sky.match(a, b, { radius = "1 arcmin" }).data)
    assert.equal(1, #sky.match(a, b, { radius = 40 }).data)
  end)

  it("handles empty datasets", function()
    local e = dataset.result({}, FIELDS_A)
    assert.equal(0, #sky.match(e, B, { radius = 1 }).data)
    assert.equal(0, #sky.match(A, dataset.result({}, FIELDS_B), { radius = 1 }).data)
    assert.equal(#A.data, #sky.match(A, dataset.result({}, FIELDS_B), { radius = 1, how = "left" }).data)
  end)

  it("names bad options and bad data", function()
    assert.matches("option 'radius' is required", usage_msg(sky.match, A, B))
    assert.matches("option 'radius' must be a positive number of arcseconds.*got %-1",
                   usage_msg(sky.match, A, B, { radius = -1 }))
    assert.matches("option 'radius' must be .*got 700000", usage_msg(sky.match, A, B, { radius = 700000 }))
    assert.matches("option 'radius' must be .*got 'wide'", usage_msg(sky.match, A, B, { radius = "wide" }))
    assert.matches("option 'mode' must be 'nearest' or 'all', got 'best'",
                   usage_msg(sky.match, A, B, { radius = 1, mode = "best" }))
    assert.matches("option 'how' must be 'inner' or 'left', got 'outer'",
                   usage_msg(sky.match, A, B, { radius = 1, how = "outer" }))
    assert.matches("option 'suffix' must be a list of two different strings",
                   usage_msg(sky.match, A, B, { radius = 1, suffix = { "_x", "_x" } }))
    assert.matches("unknown option 'radium' %(did you mean 'radius'%?%)",
                   usage_msg(sky.match, A, B, { radium = 1 }))
    assert.matches("b must be a dataset .*got number", usage_msg(sky.match, A, 5, { radius = 1 }))
    assert.matches("a has no position columns .*its columns: x, y",
                   usage_msg(sky.match, { fields = { { name = "x" }, { name = "y" } }, data = {} }, B, { radius = 1 }))
    assert.matches("a has no column 'RA' %(did you mean 'ra'%?%)",
                   usage_msg(sky.match, A, B, { radius = 1, ra = "RA" }))
    assert.matches("b has no column 'RA' %(did you mean 'ra'%?%)",
                   usage_msg(sky.match, A, B, { radius = 1, ra = { "ra", "RA" } }))
    local clash = dataset.result({}, { { name = "ra" }, { name = "dec" }, { name = "ra_2" } })
    assert.matches("two columns 'ra_2'; choose other suffixes", usage_msg(sky.match, A, clash, { radius = 1 }))
  end)
end)
