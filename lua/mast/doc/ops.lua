--- Help entries of mast.ops (the table operations every dataset has): data only.
-- mast.ops.<op>(x, ...) and the method x:<op>(...) of a Result or a Table are one function.
-- luacheck: no max line length
return {
  ["mast.ops"] = {
    sig = "mast.ops",
    summary = "Table operations on every dataset: select, where, sort, join, group_by, stack, stats...",
    text = "Each operation takes any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...} and gives a new printable dataset of the same representation (rows stay a Result, a mast.Table stays columnar); nothing is changed in place. Every Result and Table has them as methods: r:sort(\"mag\") is mast.ops.sort(r, \"mag\"), so they chain: r:where{obs_collection = \"HST\"}:sort(\"t_exptime desc\"):head(5). A column name that is not there is a usage error naming the nearest one. Nulls (mast.null, a missing value) order after every value: `null < x` is false and `x < null` true for any other x, null < null is false and null <= null true; a null never equals a number; tostring gives \"null\"; arithmetic on one raises \"attempt to do arithmetic on a null (a missing value)\". So `table.sort(rows, function(a, b) return a.mag < b.mag end)` puts nulls last and `row.mag < 18` is false for a null.",
    returns = "the module",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(r:where{coll = "HST"}:sort("mag"):select("obsid, mag"))
]],
  },
  ["mast.ops.select"] = {
    sig = "mast.ops.select(x, columns [, rename]) -> dataset",
    summary = "Only some columns, in order, optionally renamed.",
    text = "columns is a list of names or a comma-separated string; rename = {old = new}. An unknown name is a usage error naming the nearest column. x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    options = {
      { name = "columns", type = "string|table", group = "operation", text = "the columns to keep, in order" },
      { name = "rename", type = "table", default = "none", group = "operation", text = "{old = new} names" },
    },
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.select(r, "obsid, mag", {mag = "vmag"}))
]],
  },
  ["mast.ops.rename"] = {
    sig = "mast.ops.rename(x, map) -> dataset",
    summary = "Every column, some renamed.",
    text = "map = {old = new}. x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.rename(r, {coll = "obs_collection"}))
]],
  },
  ["mast.ops.where"] = {
    sig = "mast.ops.where(x, test) -> dataset",
    summary = "The rows passing a predicate or criteria.",
    text = "test is a function(row, i) returning true to keep the row, or criteria as mast.filter_products takes them: {column = value | {any of} | \"!x\" | \">=2\" | \"1..3\" | \"a*\" | function(value, row)}, text compared case-insensitively, all criteria together. Nulls (mast.null, a missing value) order after every value: `null < x` is false and `x < null` true for any other x, null < null is false and null <= null true; a null never equals a number; tostring gives \"null\"; arithmetic on one raises \"attempt to do arithmetic on a null (a missing value)\". So `table.sort(rows, function(a, b) return a.mag < b.mag end)` puts nulls last and `row.mag < 18` is false for a null. x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.where(r, function(row) return row.mag < 18 end))
print(mast.ops.where(r, {coll = "hst", mag = "<15"}))
]],
  },
  ["mast.ops.sort"] = {
    sig = "mast.ops.sort(x, keys [, dir]) -> dataset",
    summary = "The rows in order of one or more keys; stable, nulls last.",
    text = "keys: \"mag\", \"mag desc\", \"coll, mag desc\", or a list {\"coll\", {\"mag\", \"desc\"}}; dir (\"asc\" or \"desc\") applies to keys without their own. Nulls and NaN go last in both directions; integers and floats compare exactly (64-bit ids too); strings bytewise; values of different types by type (numbers, strings, false, true). The sort runs in C (about 0.1-0.3 s for a million rows). A Result keeps its paging. x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    options = {
      { name = "dir", type = "string", default = "\"asc\"", group = "operation", text = "the direction of keys given without one" },
    },
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.sort(r, {"coll", {"mag", "desc"}}))
]],
  },
  ["mast.ops.head"] = {
    sig = "mast.ops.head(x [, n]) -> dataset",
    summary = "The first n rows (10 by default).",
    text = "x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    options = {
      { name = "n", type = "integer", default = "10", group = "operation", text = "how many rows" },
    },
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.head(r, 2))
]],
  },
  ["mast.ops.tail"] = {
    sig = "mast.ops.tail(x [, n]) -> dataset",
    summary = "The last n rows (10 by default).",
    text = "x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    options = {
      { name = "n", type = "integer", default = "10", group = "operation", text = "how many rows" },
    },
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.tail(r, 1))
]],
  },
  ["mast.ops.slice"] = {
    sig = "mast.ops.slice(x, i [, j]) -> dataset",
    summary = "Rows i to j.",
    text = "Counted as string.sub counts: a negative number counts from the end; j defaults to -1 (the last row). x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.slice(r, 2, -1))
]],
  },
  ["mast.ops.unique"] = {
    sig = "mast.ops.unique(x [, columns]) -> dataset",
    summary = "The first row of each distinct combination of columns.",
    text = "columns: a list or a comma-separated string (default: every column). Nulls are equal to each other here; every column of the kept rows stays. x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.unique(r, "coll"))
]],
  },
  ["mast.ops.group_by"] = {
    sig = "mast.ops.group_by(x, columns) -> groups",
    summary = "Groups of rows by the values of columns; :agg makes a dataset of them.",
    text = "Call groups:agg{...} (see Grouped:agg). Groups come in the order they first appear. x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    returns = "groups (mast.Grouped)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.group_by(r, "coll"):agg{n = "count", bright = {"min", "mag"}})
]],
  },
  ["mast.ops.join"] = {
    sig = "mast.ops.join(x, other, opts) -> dataset",
    summary = "The rows of x with the matching rows of other.",
    text = "One output row per matching pair, in x's order (a row's matches in other's order). Keys compare exactly: 64-bit ids stay exact, a string of digits meets the integer it spells (MAST sends some ids either way), an integral float meets its integer; nulls and NaN match nothing. The columns are x's, then other's without the keys; a name x has too gets the suffix. The match runs through a hash in C. x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    options = {
      { name = "on", type = "string|table", group = "operation", text = "the key column(s), present in both" },
      { name = "how", type = "string", default = "\"inner\"", group = "operation", text = "\"inner\" (matches only) or \"left\" (every row of x; nulls where other has no match)" },
      { name = "suffix", type = "string", default = "\"_2\"", group = "operation", text = "added to a column name of other that x has too" },
    },
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
local fluxes = {fields = {{name = "obsid", type = "int"}, {name = "flux", type = "float"}}, data = {{obsid = 3, flux = 2.5}}}
print(mast.ops.join(r, fluxes, {on = "obsid", how = "left"}))
]],
  },
  ["mast.ops.stack"] = {
    sig = "mast.ops.stack(list) or mast.ops.stack(x, y, ...) -> dataset",
    summary = "Every row of several datasets, one after the other.",
    text = "The result has the first dataset's representation. Fields are united in order of appearance: a column missing from one dataset is null in its rows; an int column meeting a float one becomes float, other mixed types string. The paging is one page of all rows, with rowsFiltered and rowsTotal the sums of the parts' own (what MAST holds for all of them, not only the rows here). Also mast.stack. x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.stack(r, mast.ops.head(r, 1)))
]],
  },
  ["mast.ops.add_column"] = {
    sig = "mast.ops.add_column(x, name, values) -> dataset",
    summary = "x with a computed column (replacing one of that name).",
    text = "values: a function(row, i) (nil gives a null) or an array of one value per row. The type is inferred: int, float, boolean or string. x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.add_column(r, "flux", function(row) return row.mag ~= mast.null and 10 ^ (-0.4 * row.mag) or nil end))
]],
  },
  ["mast.ops.stats"] = {
    sig = "mast.ops.stats(x) -> dataset",
    summary = "Per-column statistics, one row per column.",
    text = "Columns: column, type, count (values present), nulls (nulls and NaN), min, max (numbers or strings), mean, std (numbers; the sample standard deviation, n - 1), unique (strings: how many distinct values). x: any dataset: a mast.Result, a mast.Table or {fields = ..., data = ...}.",
    returns = "a new dataset of x's representation (for stack: the first's)",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.ops.stats(r))
]],
  },
  ["mast.stack"] = {
    sig = "mast.stack(list) or mast.stack(x, y, ...) -> dataset",
    summary = "Every row of several datasets, one after the other (mast.ops.stack).",
    text = "See mast.ops.stack: fields united, paging counts summed.",
    returns = "a new dataset",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(mast.stack({r, r}))
]],
  },
  ["Grouped:agg"] = {
    sig = "groups:agg(spec) -> dataset",
    summary = "One row per group: the group columns, then one column per aggregate.",
    text = "spec = {name = \"count\" | {how, column}, ...} or a list {{name, how, column}, ...} (a list keeps its order; named entries follow in alphabetical order). how: count (rows; with a column: values present), sum, min, max, mean, median, std (the sample standard deviation, n - 1), or a function(values) -> value. Nulls and NaN are skipped; an aggregate of no values is null (count: 0, sum: 0).",
    returns = "a new dataset of the grouped dataset's representation",
    example = [[
local mast = require "mast"
local r = require("mast.dataset").result({{obsid = 1, mag = 17.5, coll = "HST"}, {obsid = 2, mag = mast.null, coll = "TESS"}, {obsid = 3, mag = 12.0, coll = "HST"}}, {{name = "obsid", type = "int"}, {name = "mag", type = "float"}, {name = "coll", type = "string"}}, "demo")
print(r:group_by("coll"):agg{{"n", "count"}, {"mean_mag", "mean", "mag"}})
]],
  },
  ["Result:select"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:select{\"obsid\", \"mag\"})",
    sig = "r:select(columns [, rename]) -> dataset",
    summary = "Only some columns, in order, optionally renamed.",
    text = "The method form of mast.ops.select (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:rename"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:rename{mag = \"vmag\"})",
    sig = "r:rename(map) -> dataset",
    summary = "Every column, some renamed.",
    text = "The method form of mast.ops.rename (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:where"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:where{coll = \"HST\"})",
    sig = "r:where(test) -> dataset",
    summary = "The rows passing a predicate or criteria.",
    text = "The method form of mast.ops.where (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:sort"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:sort(\"mag desc\"))",
    sig = "r:sort(keys [, dir]) -> dataset",
    summary = "The rows in order of one or more keys; stable, nulls last.",
    text = "The method form of mast.ops.sort (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:head"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:head(2))",
    sig = "r:head([n]) -> dataset",
    summary = "The first n rows (10 by default).",
    text = "The method form of mast.ops.head (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:tail"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:tail(1))",
    sig = "r:tail([n]) -> dataset",
    summary = "The last n rows (10 by default).",
    text = "The method form of mast.ops.tail (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:slice"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:slice(2, 3))",
    sig = "r:slice(i [, j]) -> dataset",
    summary = "Rows i to j.",
    text = "The method form of mast.ops.slice (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:unique"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:unique(\"coll\"))",
    sig = "r:unique([columns]) -> dataset",
    summary = "The first row of each distinct combination of columns.",
    text = "The method form of mast.ops.unique (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:group_by"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:group_by(\"coll\"):agg{n = \"count\"})",
    sig = "r:group_by(columns) -> groups",
    summary = "Groups of rows by the values of columns; :agg makes a dataset of them.",
    text = "The method form of mast.ops.group_by (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:join"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:join(r:select{\"obsid\", \"coll\"}, {on = \"obsid\", suffix = \"_2\"}))",
    options = {
      { name = "on", type = "string | {names}", default = "the columns both have", text = "The key columns (a name or a list of them)." },
      { name = "how", type = "'inner' | 'left'", default = "'inner'", text = "inner: only rows with a match; left: every row of x, nulls where other has none." },
      { name = "suffix", type = "string", text = "Added to other's column names that x has too." },
    },
    sig = "r:join(other, opts) -> dataset",
    summary = "The rows of x with the matching rows of other.",
    text = "The method form of mast.ops.join (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:stack"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:stack(r))",
    sig = "r:stack(y, ...) -> dataset",
    summary = "Every row of several datasets, one after the other.",
    text = "The method form of mast.ops.stack (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:add_column"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:add_column(\"bright\", function(row) return row.mag ~= mast.null and row.mag < 15 end))",
    sig = "r:add_column(name, values) -> dataset",
    summary = "x with a computed column (replacing one of that name).",
    text = "The method form of mast.ops.add_column (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Result:stats"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nprint(r:stats())",
    sig = "r:stats() -> dataset",
    summary = "Per-column statistics, one row per column.",
    text = "The method form of mast.ops.stats (same arguments after the dataset).",
    returns = "a new Result",
  },
  ["Table:select"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:select{\"obsid\", \"mag\"})",
    sig = "t:select(columns [, rename]) -> dataset",
    summary = "Only some columns, in order, optionally renamed.",
    text = "The method form of mast.ops.select (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:rename"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:rename{mag = \"vmag\"})",
    sig = "t:rename(map) -> dataset",
    summary = "Every column, some renamed.",
    text = "The method form of mast.ops.rename (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:where"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:where{coll = \"HST\"})",
    sig = "t:where(test) -> dataset",
    summary = "The rows passing a predicate or criteria.",
    text = "The method form of mast.ops.where (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:sort"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:sort(\"mag desc\"))",
    sig = "t:sort(keys [, dir]) -> dataset",
    summary = "The rows in order of one or more keys; stable, nulls last.",
    text = "The method form of mast.ops.sort (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:head"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:head(2))",
    sig = "t:head([n]) -> dataset",
    summary = "The first n rows (10 by default).",
    text = "The method form of mast.ops.head (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:tail"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:tail(1))",
    sig = "t:tail([n]) -> dataset",
    summary = "The last n rows (10 by default).",
    text = "The method form of mast.ops.tail (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:slice"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:slice(2, 3))",
    sig = "t:slice(i [, j]) -> dataset",
    summary = "Rows i to j.",
    text = "The method form of mast.ops.slice (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:unique"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:unique(\"coll\"))",
    sig = "t:unique([columns]) -> dataset",
    summary = "The first row of each distinct combination of columns.",
    text = "The method form of mast.ops.unique (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:group_by"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:group_by(\"coll\"):agg{n = \"count\"})",
    sig = "t:group_by(columns) -> groups",
    summary = "Groups of rows by the values of columns; :agg makes a dataset of them.",
    text = "The method form of mast.ops.group_by (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:join"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:join(t:select{\"obsid\", \"coll\"}, {on = \"obsid\", suffix = \"_2\"}))",
    options = {
      { name = "on", type = "string | {names}", default = "the columns both have", text = "The key columns (a name or a list of them)." },
      { name = "how", type = "'inner' | 'left'", default = "'inner'", text = "inner: only rows with a match; left: every row of x, nulls where other has none." },
      { name = "suffix", type = "string", text = "Added to other's column names that x has too." },
    },
    sig = "t:join(other, opts) -> dataset",
    summary = "The rows of x with the matching rows of other.",
    text = "The method form of mast.ops.join (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:stack"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:stack(r))",
    sig = "t:stack(y, ...) -> dataset",
    summary = "Every row of several datasets, one after the other.",
    text = "The method form of mast.ops.stack (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:add_column"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:add_column(\"bright\", function(row) return row.mag ~= mast.null and row.mag < 15 end))",
    sig = "t:add_column(name, values) -> dataset",
    summary = "x with a computed column (replacing one of that name).",
    text = "The method form of mast.ops.add_column (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
  ["Table:stats"] = {
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nprint(t:stats())",
    sig = "t:stats() -> dataset",
    summary = "Per-column statistics, one row per column.",
    text = "The method form of mast.ops.stats (same arguments after the dataset).",
    returns = "a new mast.Table",
  },
}
