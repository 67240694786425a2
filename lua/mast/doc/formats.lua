-- Help entries (mast.help): datasets to and from files (CSV, VOTable, FITS).
return {
  ["mast.formats"] = {
    sig = "mast.formats",
    summary = "Datasets to and from files: CSV, VOTable and FITS, chosen by the extension (mast.read, mast.write).",
    text = "mast.write(x, path) and mast.read(path) are this module's write and read; mast.read_csv reads CSV, mast.formats.votable(x) gives a dataset as VOTable text. Every file is written through mast's output capability: whole, or not at all.",
    returns = "the module",
  },
  ["mast.read_csv"] = {
    sig = "mast.read_csv(path [, opts]) or mast.read_csv{text = csv [, ...]} -> result",
    summary = "A CSV file (or text) as a printable dataset, types kept or inferred, integers exact.",
    text = "Reads what mast.json2csv writes, and ordinary CSV with a header line (RFC 4180: quoted fields with "
      .. "commas, doubled quotes and line breaks; CRLF or LF; a UTF-8 byte order mark). When the second line "
      .. "is json2csv's row of MAST types, the types are kept and each value reads back as it was: integers "
      .. "exact (64-bit), floats, booleans, quoted text a string, an empty field null; read_csv(json2csv(x)) "
      .. "is x again. Otherwise each column's type comes from all its values: int when every value is an "
      .. "integer (an id with leading zeros such as 007 keeps the column text), float when every value is a "
      .. "number, boolean for true/false, else string; an empty field is mast.null and \"\" an empty string. "
      .. "A malformed record is a usage error naming its line and column.",
    options = {
      { name = "text", type = "string", group = "input", text = "the CSV itself, instead of a file" },
      { name = "types", type = "table", group = "types",
        text = "{column = \"string\" | \"int\" | \"float\" | \"boolean\"}: the column's type; "
          .. "every value must be of it" },
      { name = "type_row", type = "boolean", default = "auto", group = "types",
        text = "whether the second line is json2csv's row of types (auto: when every cell names a type)" },
      { name = "sep", type = "string", default = "\",\"", group = "input",
        text = "the field separator (one character)" },
      { name = "title", type = "string", default = "\"CSV\"", group = "output", text = "what the dataset prints as" },
    },
    returns = "a mast.Result (fields with MAST types, rows of values)",
    example = "local r = mast.read_csv{text = 'id,mag\\n5853498713190525697,12.5\\n'}\n"
      .. "print(r.data[1].id, r.fields[1].type)",
  },
  ["mast.write"] = {
    sig = "mast.write(dataset, path [, opts]) -> the path written",
    summary = "Writes a dataset as CSV, VOTable or FITS, chosen by the path's extension.",
    text = "The format is opts.format, else the extension: .csv; .vot, .votable, .xml (VOTable 1.4, "
      .. "TABLEDATA); .fits, .fit (a FITS binary table, through mast.fits.write). The file is written "
      .. "through mast's output capability: <path>.part, renamed onto path only when whole, under the "
      .. "host's path policy, so a failure leaves the old file (or nothing). The VOTable's datatypes come "
      .. "from the field types (long for int, double for float, boolean, char arraysize=\"*\" for text; a "
      .. "list column becomes a numeric array); nulls are empty cells, and an int column with nulls also "
      .. "declares <VALUES null>. Other options go to the format's writer.",
    options = {
      { name = "format", type = "string", default = "from the extension", group = "format",
        text = "\"csv\", \"votable\" or \"fits\"" },
      { name = "types", type = "boolean", default = "true", group = "csv", text = "write json2csv's row of types" },
      { name = "eol", type = "string", default = "\"\\n\"", group = "csv", text = "\"\\n\" or \"\\r\\n\"" },
      { name = "name", type = "string", group = "votable", text = "the TABLE's name (default: the service)" },
    },
    returns = "the path written (resolved against a host's download root)",
    example = "local r = mast.read_csv{text = 'a,b\\n1,x\\n'}\n"
      .. "local path = mast.write(r, os.tmpname() .. '.vot')\nprint(mast.read(path).data[1].b)",
  },
  ["mast.read"] = {
    sig = "mast.read(path [, opts]) -> dataset",
    summary = "Reads a CSV, VOTable or FITS file into a dataset, chosen by the path's extension.",
    text = "The format is opts.format, else the extension (as mast.write). CSV goes to mast.read_csv, a "
      .. "VOTable to mast.votable (its first table; 64-bit integers exact, nulls mast.null), FITS to "
      .. "mast.fits.read. Other options go to the reader.",
    options = {
      { name = "format", type = "string", default = "from the extension", group = "format",
        text = "\"csv\", \"votable\" or \"fits\"" },
      { name = "types", type = "table", group = "csv", text = "as mast.read_csv's" },
      { name = "name", type = "string", group = "votable", text = "the name the dataset prints as" },
      { name = "hdu", type = "integer|string", group = "fits", text = "the HDU to read (mast.fits.read's)" },
    },
    returns = "a printable dataset",
    example = "local path = mast.write({fields = {{name = 'n', type = 'int'}}, data = {{n = 1}}}, "
      .. "os.tmpname() .. '.csv')\nprint(mast.read(path))",
  },
  ["mast.formats.write"] = {
    returns = "the path written",
    example = "mast.formats.write(mast.caom.cone{target = \"M101\", radius = 0.05}, \"m101.vot\")",
    options = {
      { name = "types", type = "boolean", default = "false", text = "CSV: a second header line of the column types." },
      { name = "eol", type = "string", default = "'\\r\\n'", text = "CSV: the line ending." },
      { name = "name", type = "string", default = "the dataset's name", text = "VOTable: the table's name." },
    },
    sig = "mast.formats.write(dataset, path [, opts]) -> the path written",
    summary = "The same function as mast.write (the module it lives in).",
    text = "See mast.write.",
  },
  ["mast.formats.read"] = {
    returns = "a dataset (CSV and VOTable: a mast.Result; FITS: a mast.Table)",
    example = "mast.write(mast.caom.cone{target = \"M101\", radius = 0.05}, \"obs.csv\")\nlocal r = mast.formats.read(\"obs.csv\")\nprint(r:count())",
    options = {
      { name = "types", type = "table", text = "CSV: column types {name = 'int' | 'float' | 'string' | 'boolean'}." },
      { name = "type_row", type = "boolean", default = "false", text = "CSV: the second line gives the column types." },
      { name = "sep", type = "string", default = "','", text = "CSV: the separator." },
      { name = "title", type = "string", text = "CSV: the dataset's name." },
      { name = "name", type = "string", default = "the first table", text = "VOTable: which table." },
      { name = "hdu", type = "integer | string", default = "the first table HDU", text = "FITS: which HDU." },
    },
    sig = "mast.formats.read(path [, opts]) -> dataset",
    summary = "The same function as mast.read (the module it lives in).",
    text = "See mast.read.",
  },
  ["mast.formats.votable"] = {
    options = {
      { name = "name", type = "string", default = "the dataset's name", text = "The TABLE's name." },
    },
    sig = "mast.formats.votable(dataset [, {name =}]) -> text",
    summary = "A dataset as VOTable 1.4 text (TABLEDATA), as mast.write writes it.",
    text = "core.votable_decode reads it back into the same fields and values; a char cell's white space at "
      .. "either end, and the difference between an empty string and null, do not survive (the parser trims "
      .. "cells, and an empty cell is null).",
    returns = "a string",
    example = "print(mast.formats.votable({fields = {{name = 'n', type = 'int'}}, data = {{n = 1}}}))",
  },
  ["Result:write"] = {
    returns = "the path written",
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nr:write(\"demo.csv\")",
    options = {
      { name = "types", type = "boolean", default = "false", text = "CSV: a second header line of the column types." },
      { name = "eol", type = "string", default = "'\\r\\n'", text = "CSV: the line ending." },
      { name = "name", type = "string", default = "the dataset's name", text = "VOTable: the table's name." },
    },
    sig = "r:write(path [, opts]) -> the path written",
    summary = "mast.write(r, path, opts).",
  },
  ["Table:write"] = {
    returns = "the path written",
    example = "local mast = require \"mast\"\nlocal r = require(\"mast.dataset\").result({{obsid = 1, mag = 17.5, coll = \"HST\"}, {obsid = 2, mag = mast.null, coll = \"TESS\"}, {obsid = 3, mag = 12.0, coll = \"HST\"}}, {{name = \"obsid\", type = \"int\"}, {name = \"mag\", type = \"float\"}, {name = \"coll\", type = \"string\"}}, \"demo\")\nlocal t = mast.json2table(r)\nt:write(\"demo.csv\")",
    options = {
      { name = "types", type = "boolean", default = "false", text = "CSV: a second header line of the column types." },
      { name = "eol", type = "string", default = "'\\r\\n'", text = "CSV: the line ending." },
      { name = "name", type = "string", default = "the dataset's name", text = "VOTable: the table's name." },
    },
    sig = "t:write(path [, opts]) -> the path written",
    summary = "mast.write(t, path, opts), for a columnar mast.Table.",
  },
}
