-- mast.ops: table operations on every dataset (no network).
local mast = require "mast"
local ops = require "mast.ops"
local dataset = require "mast.dataset"
local N = mast.null

local FIELDS = { { name = "obsid", type = "int" }, { name = "obs_collection", type = "string" },
                 { name = "t_exptime", type = "float" }, { name = "mag", type = "float" } }
local function rows()
  return dataset.result({
    { obsid = 5853498713190525696, obs_collection = "HST", t_exptime = 100.0, mag = 17.5 },
    { obsid = 5853498713190525697, obs_collection = "TESS", t_exptime = N, mag = N },
    { obsid = 2, obs_collection = "HST", t_exptime = 300.0, mag = 19.1 },
    { obsid = 4, obs_collection = "TESS", t_exptime = 50.0, mag = 16.0 },
    { obsid = 5, obs_collection = "HST", t_exptime = 100.0, mag = N },
  }, FIELDS, "Mast.Caom.Cone")
end
local function col(x, name)
  if dataset.is_table(x) then return x:column(name) end
  local out = {}
  for i, r in ipairs(x.data) do out[i] = r[name] end
  return out
end

-- every operation, on the three representations
local KINDS = {
  rows = rows,
  table = function() return mast.json2table(rows()) end,
  envelope = function() local r = rows() return { fields = r.fields, data = r.data } end,
}

for kind, make in pairs(KINDS) do
  describe("mast.ops on a " .. kind .. " dataset", function()
    local out_kind = kind == "table" and "table" or "rows"
    local function same_kind(x)
      if out_kind == "table" then assert.is_true(dataset.is_table(x))
      else assert.is_true(dataset.is_result(x)) end
      assert.is_string(tostring(x))   -- printable
    end

    it("sorts by several keys, descending per key, nulls last either way, stably", function()
      local s = ops.sort(make(), { "obs_collection", { "t_exptime", "desc" } })
      same_kind(s)
      assert.same({ 2, 5853498713190525696, 5, 4, 5853498713190525697 }, col(s, "obsid"))
      local asc = ops.sort(make(), "mag")
      assert.same({ 4, 5853498713190525696, 2, 5853498713190525697, 5 }, col(asc, "obsid"))
      local desc = ops.sort(make(), "mag desc")
      assert.same({ 2, 5853498713190525696, 4, 5853498713190525697, 5 }, col(desc, "obsid"))
    end)

    it("selects, renames, and names a wrong column with the nearest one", function()
      local s = ops.select(make(), { "mag", "obsid" }, { mag = "m" })
      same_kind(s)
      assert.same({ 17.5, N, 19.1, 16.0, N }, col(s, "m"))
      local ok, e = pcall(ops.select, make(), { "t_exptim" })
      assert.is_false(ok)
      assert.equal("usage", e.code)
      assert.matches("no column 't_exptim' %(did you mean 't_exptime'%?%)", tostring(e))
      local r = ops.rename(make(), { obs_collection = "coll" })
      assert.same({ "HST", "TESS", "HST", "TESS", "HST" }, col(r, "coll"))
    end)

    it("filters with a function or with filter_products' criteria", function()
      local w = ops.where(make(), function(row) return row.mag < 18 end)   -- nulls order last
      same_kind(w)
      assert.same({ 5853498713190525696, 4 }, col(w, "obsid"))
      assert.same({ 2, 5 }, col(ops.where(make(), { obs_collection = "hst", t_exptime = ">=100",
                                                    obsid = "!5853498713190525696" }), "obsid"))
      assert.same({ 5853498713190525697, 4 }, col(ops.where(make(), { obs_collection = "T*" }), "obsid"))
      local ok, e = pcall(ops.where, make(), { mgg = 1 })
      assert.is_false(ok)
      assert.matches("unknown column 'mgg' %(did you mean 'mag'%?%)", tostring(e))
    end)

    it("heads, tails and slices", function()
      assert.same({ 5853498713190525696, 5853498713190525697 }, col(ops.head(make(), 2), "obsid"))
      assert.same({ 4, 5 }, col(ops.tail(make(), 2), "obsid"))
      assert.same({ 2, 4 }, col(ops.slice(make(), 3, -2), "obsid"))
      same_kind(ops.head(make(), 0))
    end)

    it("keeps the first row of each distinct combination", function()
      assert.same({ 5853498713190525696, 5853498713190525697 }, col(ops.unique(make(), "obs_collection"), "obsid"))
      assert.same({ 5853498713190525696, 5853498713190525697, 2, 4 },
        col(ops.unique(make(), { "obs_collection", "t_exptime" }), "obsid"))
    end)

    it("groups with count, sum, min, max, mean, median and std, skipping nulls", function()
      local g = ops.group_by(make(), "obs_collection"):agg{ n = "count", total = { "sum", "t_exptime" },
        lo = { "min", "mag" }, hi = { "max", "mag" }, avg = { "mean", "t_exptime" },
        med = { "median", "t_exptime" }, sd = { "std", "t_exptime" }, nmag = { "count", "mag" } }
      same_kind(g)
      assert.same({ "HST", "TESS" }, col(g, "obs_collection"))
      assert.same({ 3, 2 }, col(g, "n"))
      assert.same({ 2, 1 }, col(g, "nmag"))
      assert.same({ 500.0, 50.0 }, col(g, "total"))
      assert.same({ 17.5, 16.0 }, col(g, "lo"))
      assert.same({ 19.1, 16.0 }, col(g, "hi"))
      assert.same({ 100.0, 50.0 }, col(g, "med"))
      assert.near(500 / 3, col(g, "avg")[1], 1e-12)
      assert.near(math.sqrt(((100 - 500 / 3) ^ 2 * 2 + (300 - 500 / 3) ^ 2) / 2), col(g, "sd")[1], 1e-9)
      assert.equal(N, col(g, "sd")[2])
      local ok, e = pcall(function() return ops.group_by(make(), "obs_collection"):agg{ x = { "meen", "mag" } } end)
      assert.is_false(ok)
      assert.matches("did you mean", tostring(e))
    end)

    it("joins inner and left on exact 64-bit keys, digit strings meeting integers", function()
      local other = { fields = { { name = "obsid", type = "string" }, { name = "mag", type = "float" },
                                 { name = "flux", type = "float" } },
                      data = { { obsid = "5853498713190525697", mag = 1.0, flux = 10.0 },
                               { obsid = 5853498713190525696, mag = 2.0, flux = 20.0 },
                               { obsid = 5853498713190525696, mag = 3.0, flux = 30.0 } } }
      local j = ops.join(make(), other, { on = "obsid" })
      same_kind(j)
      assert.same({ 5853498713190525696, 5853498713190525696, 5853498713190525697 }, col(j, "obsid"))
      assert.same({ 20.0, 30.0, 10.0 }, col(j, "flux"))
      assert.same({ 2.0, 3.0, 1.0 }, col(j, "mag_2"))
      local l = ops.join(make(), other, { on = { "obsid" }, how = "left", suffix = "_o" })
      assert.same({ 20.0, 30.0, 10.0, N, N, N }, col(l, "flux"))
      assert.same({ 2.0, 3.0, 1.0, N, N, N }, col(l, "mag_o"))
      local two = ops.join(make(), make(), { on = { "obs_collection", "t_exptime" } })
      assert.same({ 5853498713190525696, 5853498713190525696, 2, 4, 5, 5 }, col(two, "obsid"))
      local ok, e = pcall(ops.join, make(), other, { on = "obsidd" })
      assert.is_false(ok)
      assert.matches("no column 'obsidd' in the left dataset %(did you mean 'obsid'%?%)", tostring(e))
    end)

    it("stacks datasets, reconciling fields", function()
      local extra = { fields = { { name = "obsid", type = "float" }, { name = "flux", type = "float" } },
                      data = { { obsid = 9.5, flux = 1.0 } } }
      local s = ops.stack({ make(), extra })
      same_kind(s)
      assert.same({ 5853498713190525696, 5853498713190525697, 2, 4, 5, 9.5 }, col(s, "obsid"))
      assert.same({ N, N, N, N, N, 1.0 }, col(s, "flux"))
      assert.equal(N, col(s, "mag")[6])
    end)

    it("adds a computed column from a function or an array", function()
      local a = ops.add_column(make(), "bright", function(row) return row.mag < 17 end)
      same_kind(a)
      assert.same({ false, false, false, true, false }, col(a, "bright"))
      local b = ops.add_column(make(), "k", { 1, 2, 3, 4, 5 })
      assert.same({ 1, 2, 3, 4, 5 }, col(b, "k"))
      assert.has_error(function() ops.add_column(make(), "k", { 1 }) end)
    end)

    it("gives printable per-column statistics", function()
      local s = ops.stats(make())
      same_kind(s)
      assert.same({ "obsid", "obs_collection", "t_exptime", "mag" }, col(s, "column"))
      assert.same({ 5, 5, 4, 3 }, col(s, "count"))
      assert.same({ 0, 0, 1, 2 }, col(s, "nulls"))
      assert.same({ N, 2, N, N }, col(s, "unique"))
      assert.equal(16.0, col(s, "min")[4])
      assert.equal(19.1, col(s, "max")[4])
      assert.near(137.5, col(s, "mean")[3], 1e-12)
    end)

    it("types min and max as the columns: an int64 column's stay exact through FITS and VOTable", function()
      local function types_of(x)
        if dataset.is_table(x) then return rawget(x, "types") end
        local t = {}
        for i, f in ipairs(x.fields) do t[i] = f.type end
        return t
      end
      local ints = ops.select(make(), { "obsid" })
      local s = ops.stats(ints)
      same_kind(s)
      local t = types_of(s)
      assert.same({ "int", "int" }, { t[5], t[6] })
      assert.equal(math.type(2), math.type(col(s, "min")[1]))
      assert.same({ 2 }, col(s, "min"))
      assert.same({ 5853498713190525697 }, col(s, "max"))
      local dir = H.tmpdir()
      finally(function() os.execute("rm -rf " .. H.quote(dir)) end)
      for _, ext in ipairs({ "fits", "vot" }) do
        local back = mast.read(mast.write(s, dir .. "/stats." .. ext))
        assert.same({ 5853498713190525697 }, col(back, "max"), ext)
        assert.same({ 2 }, col(back, "min"), ext)
      end
      -- integer columns of different integer types: "long"; a float column among them: float
      local two = ops.add_column(ints, "k", { 1, 2, 3, 4, 5 })
      local mixed = { fields = { { name = "a", type = "int" }, { name = "b", type = "short" } },
                      data = { { a = 1, b = 2 } } }
      assert.same({ "long", "long" }, { types_of(ops.stats(mixed))[5], types_of(ops.stats(mixed))[6] })
      assert.equal(5853498713190525697, col(ops.stats(two), "max")[1])
      local f = types_of(ops.stats(ops.select(make(), { "obsid", "mag" })))
      assert.same({ "float", "float" }, { f[5], f[6] })
      assert.equal("string", types_of(ops.stats(make()))[5])
    end)
  end)
end

describe("mast.ops methods and chains", function()
  it("are methods of a Result and of a Table, and chain", function()
    local r = rows():where{ obs_collection = "HST" }:sort("t_exptime", "desc"):select("obsid")
    assert.same({ { obsid = 2 }, { obsid = 5853498713190525696 }, { obsid = 5 } }, r.data)
    local t = mast.json2table(rows()):sort("obsid"):head(2)
    assert.same({ 2, 4 }, t:column("obsid"))
    assert.equal("mast.Table", getmetatable(t).__name)
  end)

  it("keep the paging of a reordering, and stack sums paging counts honestly", function()
    local r = rows()
    r.paging = { page = 1, pageSize = 5, pagesFiltered = 3, rows = 5, rowsFiltered = 12, rowsTotal = 40 }
    assert.equal(12, r:sort("mag").paging.rowsFiltered)
    local s = mast.stack(r, r:head(1))
    assert.equal(6, s.paging.rows)
    assert.equal(13, s.paging.rowsFiltered)
    assert.equal(41, s.paging.rowsTotal)
    assert.equal("Mast.Caom.Cone", s:service())
  end)

  it("refuse what is not a dataset, naming it", function()
    local ok, e = pcall(ops.sort, 42, "mag")
    assert.is_false(ok)
    assert.matches("mast.ops.sort: expected a dataset", tostring(e))
    ok, e = pcall(ops.sort, rows(), { { "mag", "down" } })
    assert.is_false(ok)
    assert.matches("'asc' or 'desc'", tostring(e))
  end)
end)

describe("core.argsort", function()
  local core = require "mast.core"
  it("orders integers and floats exactly, strings bytewise, types apart, nulls and NaN last", function()
    local big = 9007199254740993   -- 2^53 + 1: no double holds it
    local keys = { big, 9007199254740992.0, "b", "a", N, 0 / 0, true, false, -1, "ab" }
    local idx = core.argsort({ keys }, { false }, #keys)
    assert.same({ 9, 2, 1, 4, 10, 3, 8, 7, 6, 5 }, idx)
    local d = core.argsort({ keys }, { true }, #keys)
    assert.same({ 7, 8, 3, 10, 4, 1, 2, 9, 6, 5 }, d)
  end)

  it("is stable over a large shuffled column with ties", function()
    local n, a = 20000, {}
    for i = 1, n do a[i] = (i * 7919) % 97 end
    local idx = core.argsort({ a }, { false }, n)
    for i = 2, n do
      local x, y = a[idx[i - 1]], a[idx[i]]
      assert.is_true(x < y or (x == y and idx[i - 1] < idx[i]))
    end
  end)
end)

describe("core.argsort on many mixed values (the radix path)", function()
  local core = require "mast.core"
  -- the rule, in Lua: classes number < string < false < true, then NaN, then null
  local function class(v)
    if v == N then return 6 elseif v ~= v then return 5 elseif type(v) == "number" then return 0
    elseif type(v) == "string" then return 1 elseif v == false then return 2 end
    return 3
  end
  local function cmp(x, y, desc)
    local cx, cy = class(x), class(y)
    if cx ~= cy then
      if cx >= 5 or cy >= 5 then return cx < cy and -1 or 1 end
      local r = cx < cy and -1 or 1
      return desc and -r or r
    end
    if cx >= 2 then return 0 end
    local r = x < y and -1 or (x > y and 1 or 0)   -- (mast.null's order is not needed here)
    return desc and -r or r
  end
  it("orders like the rule, key by key, stably", function()
    local pool = { N, 0 / 0, true, false, 1, 2.5, -3, 9007199254740993, 9007199254740992.0,
                   "prefix__a", "prefix__b", "prefix__", "z", "" }
    local n, a, b = 3000, {}, {}
    for i = 1, n do
      a[i] = pool[(i * 7) % #pool + 1]
      b[i] = pool[(i * 11) % #pool + 1]
    end
    for _, dirs in ipairs({ { false, false }, { true, false }, { false, true }, { true, true } }) do
      local idx = core.argsort({ a, b }, dirs, n)
      for i = 2, n do
        local p, q = idx[i - 1], idx[i]
        local r = cmp(a[p], a[q], dirs[1])
        if r == 0 then r = cmp(b[p], b[q], dirs[2]) end
        assert.is_true(r < 0 or (r == 0 and p < q), ("rows %d, %d"):format(p, q))
      end
    end
  end)
end)

describe("mast.ops help entries (lua/mast/doc/ops.lua)", function()
  local entries = dofile("lua/mast/doc/ops.lua")
  it("cover every operation, as a function and as the methods of a Result and a Table", function()
    for _, name in ipairs(require("mast.result").OPS) do
      assert.is_table(entries["mast.ops." .. name], name)
      assert.is_table(entries["Result:" .. name], name)
      assert.is_table(entries["Table:" .. name], name)
      assert.is_function(ops[name], name)
    end
    assert.is_table(entries["mast.stack"])
    assert.is_table(entries["Grouped:agg"])
  end)

  it("have examples that run", function()
    for key, e in pairs(entries) do
      assert.is_string(e.sig, key)
      assert.is_string(e.summary, key)
      if e.example then
        local printed = {}
        local env = setmetatable({ print = function(...) printed[#printed + 1] = tostring((...)) end },
                                 { __index = _G })
        local chunk = assert(load(e.example, "=" .. key, "t", env))
        local ok, err = pcall(chunk)
        assert(ok, key .. ": " .. tostring(err))
        assert.is_true(#printed > 0, key)
      end
    end
  end)
end)
