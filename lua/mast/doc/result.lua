-- Help entries (mast.help): result.
return {
  ["Result:columns"] = {
    sig = "r:columns() -> {names}",
    summary = "The names of the result's columns, in order.",
  },
  ["Result:count"] = {
    sig = "r:count() -> integer",
    summary = "The number of rows in this answer (this page).",
  },
  ["Result:service"] = {
    sig = "r:service() -> string",
    summary = "The MAST service that answered, or nil.",
  },
  ["Table:column"] = {
    sig = "t:column(name) -> array",
    summary = "The column's array of values (an unknown name is an error suggesting the nearest).",
  },
  ["Table:envelope"] = {
    sig = "t:envelope() -> {fields, data}",
    summary = "The table as a row dataset again (for json2csv, crossmatch uploads).",
  },
  ["Table:row"] = {
    sig = "t:row(i) -> {name = value}",
    summary = "Row i as a table keyed by column name (nil past the end).",
  },
  ["Table:rows"] = {
    sig = "for i, row in t:rows() do ... end",
    summary = "Iterates over the rows as {name = value} tables.",
  },
}
