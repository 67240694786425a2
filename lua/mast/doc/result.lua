-- Help entries (mast.help): result.
return {
  ["Result:show"] = {
    sig = "r:show{columns = {...}, rows = n, width = w} -> text",
    summary = "The grid of exactly the columns and rows asked for, no line wider than w.",
    text = "Printing a result shows its first 10 rows in as many columns as fit the terminal; "
      .. "show gives another view. Identifier columns (obs_id, obsid, productFilename, dataURI, *_id) "
      .. "are shown in full, other cells are cut at 24 characters with a visible ellipsis (cell = n changes that).",
    options = {
      { name = "columns", type = "{names} | string", default = "all that fit", group = "view",
        text = "The columns to show, in this order (an unknown name is an error)." },
      { name = "rows", type = "integer", default = "10", group = "view", text = "How many rows." },
      { name = "width", type = "integer", default = "the terminal's width", group = "view",
        text = "The widest a line may be." },
      { name = "cell", type = "integer", default = "24", group = "view",
        text = "The widest a cell of a non-identifier column may be." },
    },
    returns = "the grid as a string (the REPL prints it as it is)",
    example = "local r = mast.caom.cone{ra = 254.28746, dec = -4.09933, radius = 0.2}\n"
      .. "print(r:show{columns = {'obs_id', 'target_name'}, rows = 3, width = 80})",
  },
  ["Table:show"] = {
    example = "local t = mast.json2table(mast.caom.cone{target = \"M101\", radius = 0.05})\nprint(t:show{columns = {\"obs_id\", \"target_name\"}, rows = 3, width = 80})",
    options = {
      { name = "columns", type = "{names} | string", default = "all that fit", group = "view", text = "The columns to show, in this order (an unknown name is an error)." },
      { name = "rows", type = "integer", default = "10", group = "view", text = "How many rows." },
      { name = "width", type = "integer", default = "the terminal's width", group = "view", text = "The widest a line may be." },
      { name = "cell", type = "integer", default = "24", group = "view", text = "The widest a cell of a non-identifier column may be." },
    },
    sig = "t:show{columns = {...}, rows = n, width = w} -> text",
    summary = "The grid of exactly the columns and rows asked for, as Result:show.",
    returns = "the grid as a string",
  },
  ["Result:columns"] = {
    returns = "a list of the column names, in order",
    example = "local r = mast.caom.cone{target = \"M101\", radius = 0.05}\nprint(table.concat(r:columns(), \", \"))",
    sig = "r:columns() -> {names}",
    summary = "The names of the result's columns, in order.",
  },
  ["Result:count"] = {
    returns = "an integer: the rows this result holds (r.paging.rowsTotal is what MAST holds)",
    example = "local r = mast.caom.cone{target = \"M101\", radius = 0.05}\nprint(r:count())",
    sig = "r:count() -> integer",
    summary = "The number of rows in this answer (this page).",
  },
  ["Result:service"] = {
    returns = "a string: the MAST service that answered (e.g. 'Mast.Caom.Cone')",
    example = "local r = mast.caom.cone{target = \"M101\", radius = 0.05}\nprint(r:service())",
    sig = "r:service() -> string",
    summary = "The MAST service that answered, or nil.",
  },
  ["Table:column"] = {
    returns = "the column's values as an array (nulls as mast.null)",
    example = "local t = mast.json2table(mast.caom.cone{target = \"M101\", radius = 0.05})\nlocal ids = t:column(\"obs_id\")\nprint(#ids, ids[1])",
    sig = "t:column(name) -> array",
    summary = "The column's array of values (an unknown name is an error suggesting the nearest).",
  },
  ["Table:envelope"] = {
    returns = "a table {fields = {...}, data = {rows}}, as a result holds them",
    example = "local t = mast.json2table(mast.caom.cone{target = \"M101\", radius = 0.05})\nlocal env = t:envelope()\nprint(#env.fields, #env.data)",
    sig = "t:envelope() -> {fields, data}",
    summary = "The table as a row dataset again (for json2csv, crossmatch uploads).",
  },
  ["Table:row"] = {
    returns = "row i as a table {column = value} (nil past the end)",
    example = "local t = mast.json2table(mast.caom.cone{target = \"M101\", radius = 0.05})\nprint(t:row(1).obs_id)",
    sig = "t:row(i) -> {name = value}",
    summary = "Row i as a table keyed by column name (nil past the end).",
  },
  ["Table:rows"] = {
    returns = "an iterator giving i, row for every row",
    example = "local t = mast.json2table(mast.caom.cone{target = \"M101\", radius = 0.05})\nfor i, row in t:rows() do print(i, row.obs_id) end",
    sig = "for i, row in t:rows() do ... end",
    summary = "Iterates over the rows as {name = value} tables.",
  },
}
