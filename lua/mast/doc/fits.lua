-- Help entries of mast.fits (data only: the REPL's help() and the generated reference read them).
return {
  ["mast.fits"] = {
    sig = "mast.fits",
    summary = "FITS files through cfitsio: HDUs, headers, tables as datasets, images, and writing tables.",
    text = "mast.fits.open(path) gives a file: f:hdus(), f:header(h), f:table(h) (a columnar mast.Table: exact 64-bit integers, TSCAL/TZERO applied, TNULL and NaN as mast.null, units and vector shapes kept), f:image(h [, section]) and f:frame(h, row) (image tables that mast.plot.image draws). mast.fits.write(dataset, path) writes a binary table. Headers and HDU sizes are checked before cfitsio reads them, so a truncated or hostile file is a clear error.",
    returns = "the module",
  },
  ["mast.fits.open"] = {
    sig = "mast.fits.open(path) -> file",
    summary = "Open a FITS file (read-only) through cfitsio.",
    text = "Opens the file at path as FITS with cfitsio, HEASARC's reference library. The name is a file's "
      .. "name only (never cfitsio's extended syntax). A file that is not FITS, or is cut short, is an io "
      .. "error naming the file (and the HDU). HDUs are named by number (1 is the primary) or by EXTNAME. "
      .. "Close it with f:close(), a <close> variable, or leave it to the collector.",
    returns = "a mast.fits.File with :hdus, :header, :table, :image, :frame, :close",
    example = 'local f <close> = mast.fits.open("tess_tp.fits")\nprint(f:hdus())',
  },
  ["mast.fits.from_string"] = {
    sig = "mast.fits.from_string(bytes [, name]) -> file",
    summary = "Open FITS bytes held in memory.",
    text = "The same as mast.fits.open over a string (a download kept in memory); name is used in messages.",
    returns = "a mast.fits.File",
    example = 'local f = mast.fits.from_string(bytes, "cutout.fits")',
  },
  ["mast.fits.File:hdus"] = {
    sig = "f:hdus() -> dataset",
    summary = "List the HDUs: index, EXTNAME, type, BITPIX, dimensions, rows and columns.",
    text = "One row per HDU: index (from 1), name (EXTNAME, empty when none), type (\"image\", \"binary "
      .. "table\" or \"ascii table\"), bitpix (images), dims (\"5x5\" for an image, \"N rows x M cols\" "
      .. "for a table), rows and cols (tables). Printable; a truncated file is an io error here.",
    returns = "a printable dataset",
    example = "print(f:hdus())",
  },
  ["mast.fits.File:header"] = {
    sig = "f:header([hdu]) -> header",
    summary = "Read an HDU's header: keywords in order, typed, with comments.",
    text = "h[1..#h] are the cards in order, each {name, value, comment, type} where type is \"integer\" "
      .. "(an exact Lua integer), \"float\", \"string\", \"logical\" (true/false), \"complex\" (its text) or "
      .. "\"none\" (COMMENT, HISTORY and blank cards: the text is the comment). h.KEYWORD (or "
      .. "h[\"KEYWORD\"]) is the value of the first card of that keyword; h:comment(k), h:card(k) and "
      .. "h:keys() help further. tostring(h) prints it as FITS cards.",
    options = { { name = "hdu", type = "integer|string", default = "1", group = "what",
                  text = "the HDU: its number (1 is the primary) or its EXTNAME" } },
    returns = "a mast.fits.Header",
    example = "local h = f:header(1)\nprint(h.TELESCOP, h:comment(\"TELESCOP\"))",
  },
  ["mast.fits.File:table"] = {
    sig = "f:table([hdu [, opts]]) -> mast.Table",
    summary = "Read a binary or ASCII table HDU into a columnar mast.Table.",
    text = "Columns become Lua arrays (t.NAME or t.data.NAME), types MAST's names: \"int\" (B, I, J, K "
      .. "and unsigned ones through TZERO, exact 64-bit integers), \"float\" (E, D, and integers scaled "
      .. "by TSCAL/TZERO, applied), \"boolean\" (L, and X bits), \"string\" (A). TNULL, NaN and undefined "
      .. "logicals are mast.null. A vector column's cells are flat Lua arrays, its TDIM shape in "
      .. "t.shapes.NAME (axis 1 first); a variable-length (P/Q) cell is a list of its values. Units from "
      .. "TUNIT are in t.units and in t:envelope()'s fields (unit =). Default HDU: the first table.",
    options = {
      { name = "hdu", type = "integer|string", default = "the first table HDU", group = "what",
        text = "the HDU: its number or its EXTNAME" },
      { name = "columns", type = "string|list", default = "every column", group = "what",
        text = "the columns to read (a list, or a comma-separated string), in that order" },
      { name = "rows", type = "integer|{first, last}", default = "every row", group = "what",
        text = "the first N rows, or rows first to last (from 1, inclusive)" },
    },
    returns = "a mast.Table (columnar), plus t.units and t.shapes",
    example = 'local t = f:table("PIXELS", {columns = {"TIME", "FLUX"}})\nprint(#t, t.TIME[1], #t.FLUX[1])',
  },
  ["mast.fits.File:image"] = {
    sig = "f:image([hdu [, section]]) -> image",
    summary = "Read an image HDU's pixels (or a section) as an image table.",
    text = "Returns {width, height, data, bitpix, bunit, naxes}: data holds width*height numbers, row-major "
      .. "from FITS row y = 1 (the bottom), x fastest; BSCALE/BZERO are applied and BLANK or NaN pixels "
      .. "are NaN. naxes is the HDU's full shape. A 3-D (or higher) image gives one plane. Default HDU: "
      .. "the first image holding pixels.",
    options = {
      { name = "hdu", type = "integer|string", default = "the first image HDU with pixels", group = "what",
        text = "the HDU: its number or its EXTNAME" },
      { name = "section", type = "table|string", default = "the whole image", group = "what",
        text = "{x = {x1, x2}, y = {y1, y2}, plane = k} or \"x1:x2,y1:y2\": FITS pixels from 1, inclusive" },
    },
    returns = "an image table",
    example = 'local im = f:image("APERTURE")\nprint(im.width, im.height)',
  },
  ["mast.fits.File:frame"] = {
    sig = "f:frame(hdu, row [, column]) -> image",
    summary = "One row's cell of a vector column as an image (a target-pixel file's frame).",
    text = "Reads the cell of column (default \"FLUX\") at row, shaped by the column's TDIM, as an image "
      .. "table {width, height, data, bitpix, bunit, naxes} (bunit from TUNIT; nulls are NaN).",
    options = { { name = "column", type = "string", default = "\"FLUX\"", group = "what",
                  text = "the vector column" } },
    returns = "an image table",
    example = 'local fr = f:frame("PIXELS", 1)\nprint(mast.fits.stats(fr).median)',
  },
  ["mast.fits.File:close"] = {
    sig = "f:close()",
    summary = "Close the file (also done by <close> and by the collector).",
    text = "Releases cfitsio's handle; later calls on the file are errors. Closing twice is harmless.",
    returns = "nothing",
    example = "f:close()",
  },
  ["mast.fits.stats"] = {
    sig = "mast.fits.stats(image) -> {min, max, mean, median, std, count, nan}",
    summary = "Basic statistics of an image's finite pixels.",
    text = "Over the finite pixels of an image table (or a plain list of numbers): min, max, mean, median, "
      .. "the population standard deviation (numpy's default), count; nan counts NaN and infinite pixels. "
      .. "With no finite pixel the statistics are mast.null.",
    returns = "a table of numbers",
    example = "local s = mast.fits.stats(f:image())\nprint(s.median, s.std)",
  },
  ["mast.fits.read"] = {
    sig = "mast.fits.read(path [, hdu]) -> mast.Table",
    summary = "Read a FITS file's first table HDU (or hdu) as a dataset.",
    text = "Opens, reads the table (see mast.fits.File:table) and closes.",
    options = { { name = "hdu", type = "integer|string", default = "the first table HDU", group = "what",
                  text = "the HDU: its number or its EXTNAME" } },
    returns = "a mast.Table",
    example = 'local t = mast.fits.read("catalog.fits")\nprint(t)',
  },
  ["mast.fits.write"] = {
    sig = "mast.fits.write(dataset, path [, opts]) -> path",
    summary = "Write any dataset as a FITS binary table.",
    text = "Any dataset (a query's result, a mast.Table, {fields, data}) becomes one binary table after an "
      .. "empty primary HDU. Column types come from the fields' types, else from the values: integers as "
      .. "K (64-bit, nulls through a TNULL the column does not use), numbers as D (nulls NaN), booleans "
      .. "as L (nulls undefined), strings as A as wide as the longest (a null string is written empty: "
      .. "binary tables have no null string), lists as vector columns (TDIM from a mast.Table's shapes) "
      .. "or variable-length ones when their lengths differ. Units from the fields (unit =) or opts.units "
      .. "become TUNIT. The file is built in memory and written through mast's output capability: whole "
      .. "or not at all, and only where the host allows. read(write(x)) gives x back.",
    options = {
      { name = "extname", type = "string", default = "none", group = "file", text = "the table's EXTNAME" },
      { name = "units", type = "table", default = "the fields' units", group = "file",
        text = "{column = \"unit\"}: TUNIT of these columns" },
      { name = "overwrite", type = "boolean", default = "false", group = "file",
        text = "replace a file already at path (else a usage error)" },
    },
    returns = "the path written",
    example = 'mast.fits.write(result, "obs.fits", {extname = "OBS", units = {s_ra = "deg", s_dec = "deg"}})',
  },
}
