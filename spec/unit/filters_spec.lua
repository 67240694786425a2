-- mast.set_filters, mast.set_min_max and the wrappers' plain-table filters (no network).
local mast = require "mast"
local filters = require "mast.filters"
local json = mast.json

-- The JSON of a filter list, as it goes on the wire (keys sorted).
local function wire(list)
  return json.encode({ params = { filters = list } })
end

describe("mast.set_min_max", function()
  it("is the page's one-element range list", function()
    assert.same({ { min = 4250, max = 4500 } }, mast.set_min_max(4250, 4500))
    assert.equal('[{"max":5.0,"min":4.4}]', json.encode(mast.set_min_max(4.4, 5.0)))
  end)

  it("refuses a missing bound, a non-number, or min above max", function()
    assert.matches("needs both min and max, got no max", H.raises("usage", mast.set_min_max, 1).message)
    assert.matches("must be a number", H.raises("usage", mast.set_min_max, {}, 2).message)
    local e = H.raises("usage", mast.set_min_max, 10, 8)
    assert.matches("min %(10%) is larger than its max %(8%)", e.message)
  end)

  it("takes date strings as MAST does", function()
    assert.same({ { min = "2020-01-01", max = "2021-01-01" } }, mast.set_min_max("2020-01-01", "2021-01-01"))
  end)
end)

describe("mast.set_filters", function()
  it("makes {paramName, values} per column, as on the page", function()
    local f = mast.set_filters { dataproduct_type = { "image" }, proposal_pi = { "Osten" } }
    assert.same({ { paramName = "dataproduct_type", values = { "image" } },
                  { paramName = "proposal_pi", values = { "Osten" } } }, f)
  end)

  it("sorts a table's columns by name, so the bytes never vary", function()
    local t = { Tmag = mast.set_min_max(8, 10), Teff = mast.set_min_max(4250, 4500), dec = mast.set_min_max(-90, -30),
                logg = mast.set_min_max(4.4, 5.0) }
    local first = wire(mast.set_filters(t))
    local names = {}
    for i, f in ipairs(mast.set_filters(t)) do names[i] = f.paramName end
    assert.same({ "Teff", "Tmag", "dec", "logg" }, names)
    for _ = 1, 20 do
      -- the same columns inserted in other orders make the same bytes
      local u = {}
      for _, k in ipairs({ "logg", "dec", "Teff", "Tmag" }) do u[k] = t[k] end
      assert.equal(first, wire(mast.set_filters(u)))
    end
  end)

  it("keeps the caller's order for a list of {name, values} pairs", function()
    local f = mast.set_filters { { "dec", mast.set_min_max(-90, -30) }, { "Teff", mast.set_min_max(4250, 4500) } }
    assert.equal('{"params":{"filters":[{"paramName":"dec","values":[{"max":-30,"min":-90}]},'
      .. '{"paramName":"Teff","values":[{"max":4500,"min":4250}]}]}}', wire(f))
  end)

  it("sends values as given (two numbers stay two values), a single value as a list of one", function()
    assert.same({ { paramName = "calib_level", values = { 2, 3 } } }, mast.set_filters { calib_level = { 2, 3 } })
    assert.same({ { paramName = "obs_collection", values = { "HST" } } }, mast.set_filters { obs_collection = "HST" })
    assert.same({ { paramName = "t_max", values = { { min = 1, max = 2 } } } },
      mast.set_filters { t_max = { min = 1, max = 2 } })
  end)

  it("accepts MAST filter objects among the pairs", function()
    local f = mast.set_filters { { paramName = "obsid", values = {}, freeText = "%200%" }, { "a", { "b" } } }
    assert.equal('{"params":{"filters":[{"freeText":"%200%","paramName":"obsid","values":[]},'
      .. '{"paramName":"a","values":["b"]}]}}', wire(f))
  end)

  it("names what is wrong", function()
    assert.matches("filter 'x' has no values", H.raises("usage", mast.set_filters, { x = {} }).message)
    assert.matches("not both", H.raises("usage", mast.set_filters, { { "a", { 1 } }, b = { 2 } }).message)
    assert.matches("the column 'a' is filtered twice",
      H.raises("usage", mast.set_filters, { { "a", { 1 } }, { "a", { 2 } } }).message)
    assert.matches("expected a table of filters", H.raises("usage", mast.set_filters, "Teff").message)
    assert.matches("filter 'x': value 1 must be", H.raises("usage", mast.set_filters, { x = { {} } }).message)
    assert.matches("unknown key 'value'",
      H.raises("usage", mast.set_filters, { { paramName = "a", value = { 1 } } }).message)
  end)
end)

describe("the plain-table filters the wrappers take", function()
  local function build(t) return filters.build("mast.test", t) end

  it("turns two numbers into a range and a list into values", function()
    assert.same({ { paramName = "Teff", values = { { min = 4250, max = 4500 } } },
                  { paramName = "filters", values = { "NUV", "FUV" } } },
      build { Teff = { 4250, 4500 }, filters = { "NUV", "FUV" } })
  end)

  it("reads {min =, max =}, a single value, three numbers, and {values =, separator =, freeText =}", function()
    assert.same({
      { paramName = "a", values = { { min = 1, max = 2 } } },
      { paramName = "b", values = { "x" } },
      { paramName = "c", values = { 1, 2, 3 } },
      { paramName = "d", values = { 4, 5 } },
      { paramName = "e", values = { "NUV", "FUV" }, separator = ";" },
    }, build { { "a", { min = 1, max = 2 } }, { "b", "x" }, { "c", { 1, 2, 3 } }, { "d", { values = { 4, 5 } } },
               { "e", { values = { "NUV", "FUV" }, separator = ";" } } })
  end)

  it("makes the page's advanced_search_counts filters byte for byte", function()
    local got = build {
      { "filters", { values = { "NUV", "FUV" }, separator = ";" } },
      { "t_max", { 52264.4586, 54452.8914 } },
      { "obsid", { freeText = "%200%" } },
    }
    assert.equal('{"params":{"filters":[{"paramName":"filters","separator":";","values":["NUV","FUV"]},'
      .. '{"paramName":"t_max","values":[{"max":54452.8914,"min":52264.4586}]},'
      .. '{"freeText":"%200%","paramName":"obsid","values":[]}]}}', wire(got))
  end)

  it("passes mast.set_filters' output through", function()
    local f = mast.set_filters { { "dec", mast.set_min_max(-90, -30) }, { "filter", { "F814W", "F390W" } } }
    assert.same(f, build(f))
  end)

  it("an empty table is an empty list", function()
    assert.equal('{"params":{"filters":[]}}', wire(build {}))
  end)

  it("names the wrapper and the filter in its errors", function()
    local e = H.raises("usage", build, { Teff = { 4500, 4250 } })
    assert.equal("mast.test: filter 'Teff': the range's min (4500) is larger than its max (4250)", e.message)
    e = H.raises("usage", build, { Teff = { mini = 1 } })
    assert.matches("^mast%.test: filter 'Teff': unknown key 'mini'", e.message)
    e = H.raises("usage", build, { Teff = print })
    assert.matches("filter 'Teff': expected a value", e.message)
    e = H.raises("usage", build, { [1] = { 42, { 1 } } })
    assert.matches("filter 1: a filter's column name must be a non%-empty string, got 42", e.message)
  end)
end)
