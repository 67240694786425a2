-- Help entries (mast.help): plots through cairo (mast.plot), to PNG and SVG.
local COMMON = {
  { name = "file", type = "string", group = "output",
    text = "required: where to write the picture; its ending says the format (.png or .svg)" },
  { name = "title", type = "string", group = "labels", text = "the title above the plot" },
  { name = "xlabel", type = "string", group = "labels", text = "the x axis's label (default: the column's name)" },
  { name = "ylabel", type = "string", group = "labels", text = "the y axis's label (default: the column's name)" },
  { name = "width", type = "integer", default = "800", group = "output", text = "pixels (200 to 8000)" },
  { name = "height", type = "integer", default = "600", group = "output", text = "pixels (200 to 8000)" },
}

local function with(list)
  local out = {}
  for _, o in ipairs(list) do out[#out + 1] = o end
  for _, o in ipairs(COMMON) do out[#out + 1] = o end
  return out
end

local RETURNS = "a plot {file =, width =, height =, kind =, format =, notes =}: tostring says where it was "
  .. "written (\"plot written to x.png (800×600)\", then the notes); p:pixel(x, y) is where a data point was "
  .. "drawn, in pixels from the top left"

local XY = {
  { name = "x", type = "string", group = "columns", text = "the x column (default: the first numeric one)" },
  { name = "y", type = "string|table", group = "columns",
    text = "the y column, or a list of them (one colour each, with a legend); default: the next numeric one" },
  { name = "xlog", type = "boolean", default = "false", group = "axes", text = "a logarithmic x axis" },
  { name = "ylog", type = "boolean", default = "false", group = "axes", text = "a logarithmic y axis" },
  { name = "size", type = "number", group = "marks", text = "the marks' size in pixels" },
  { name = "marker", type = "string", default = "\"circle\"", group = "marks",
    text = "\"circle\", \"square\", \"diamond\", \"plus\" or \"cross\"" },
  { name = "legend", type = "boolean", default = "true", group = "marks",
    text = "a legend when there are several y columns" },
}

local ROWS = "require('mast.dataset').result({{a = 1, b = 2}, {a = 2, b = 3}, {a = 3, b = 5}}, "
  .. "{{name = 'a', type = 'int'}, {name = 'b', type = 'float'}}, 'example')"

return {
  ["mast.plot"] = {
    sig = "mast.plot",
    summary = "Plots of datasets and images to PNG or SVG files, through cairo.",
    text = "Every plot takes a dataset (a query result, a mast.Table or {fields =, data =}) or an image, and "
      .. "an options table with file = \"name.png\" or \"name.svg\". The picture is drawn in memory and written "
      .. "through mast's output capability (whole at its path or absent); nothing is opened or shown. Values "
      .. "that are null, NaN or not numbers are skipped and counted in a note (in the picture's bottom line "
      .. "and in tostring of the result). In an SVG the text is drawn as outlines, like the PNG, and each "
      .. "label is also an invisible <text> element, so labels can be searched and selected.",
  },
  ["mast.plot.scatter"] = {
    sig = "mast.plot.scatter(dataset, opts) -> plot",
    summary = "Points of one column against another (or several).",
    options = with(XY),
    returns = RETURNS,
    example = "local p = mast.plot.scatter(" .. ROWS .. ", {file = 'scatter.png', x = 'a', y = 'b'})\nprint(p)",
  },
  ["mast.plot.line"] = {
    sig = "mast.plot.line(dataset, opts) -> plot",
    summary = "Columns as lines, the points joined in the dataset's order (broken where a value is missing).",
    options = with(XY),
    returns = RETURNS,
    example = "print(mast.plot.line(" .. ROWS .. ", {file = 'line.svg', x = 'a', y = 'b'}))",
  },
  ["mast.plot.histogram"] = {
    sig = "mast.plot.histogram(dataset, opts) -> plot",
    summary = "How a column's values are distributed, in equal bins.",
    options = with({
      { name = "column", type = "string", group = "columns", text = "the column (default: the first numeric one)" },
      { name = "bins", type = "integer", default = "√n, 5 to 100", group = "bins", text = "how many bins" },
      { name = "xlog", type = "boolean", default = "false", group = "axes", text = "bins equal in log10 of the value" },
      { name = "ylog", type = "boolean", default = "false", group = "axes", text = "a logarithmic count axis" },
    }),
    returns = RETURNS,
    example = "print(mast.plot.histogram(" .. ROWS .. ", {file = 'hist.png', column = 'b', bins = 3}))",
  },
  ["mast.plot.sky"] = {
    sig = "mast.plot.sky(dataset, opts) -> plot",
    summary = "Positions and s_region footprints on the sky, RA increasing to the left.",
    text = "Positions come from ra/dec (or s_ra/s_dec, RA_OBJ/DEC_OBJ, raMean/decMean) columns, footprints "
      .. "from s_region (STC-S POLYGON and CIRCLE, with or without frame words such as ICRS, several shapes "
      .. "in one value). The field is drawn in the gnomonic (tangent-plane) projection about its centre (the "
      .. "mean direction of everything drawn), one scale on both axes; the axes are labelled in degrees of RA "
      .. "along the centre's parallel and Dec along its meridian. A field reaching more than 40° from its "
      .. "centre is drawn whole-sky in the Hammer-Aitoff (equal-area) projection about the centre's RA, with a "
      .. "30° graticule. The result's projection says which (\"gnomonic\" or \"hammer\").",
    options = with({
      { name = "ra", type = "string", group = "columns", text = "the RA column (degrees)" },
      { name = "dec", type = "string", group = "columns", text = "the Dec column (degrees)" },
      { name = "footprints", type = "boolean", default = "true", group = "what", text = "draw s_region footprints" },
      { name = "region", type = "string", default = "\"s_region\"", group = "columns", text = "the footprint column" },
      { name = "projection", type = "string", default = "\"auto\"", group = "what",
        text = "\"auto\", \"gnomonic\" or \"hammer\"" },
      { name = "size", type = "number", group = "marks", text = "the position marks' size in pixels" },
    }),
    returns = RETURNS .. "; also projection and centre = {ra, dec}",
    example = "local obs = require('mast.dataset').result({{s_ra = 210.8, s_dec = 54.35,\n"
      .. "  s_region = 'POLYGON ICRS 210.7 54.3 210.9 54.3 210.9 54.4 210.7 54.4'}},\n"
      .. "  {{name = 's_ra', type = 'float'}, {name = 's_dec', type = 'float'},\n"
      .. "   {name = 's_region', type = 'string'}})\n"
      .. "print(mast.plot.sky(obs, {file = 'sky.png', title = 'M101'}))",
  },
  ["mast.plot.lightcurve"] = {
    sig = "mast.plot.lightcurve(dataset | path, opts) -> plot",
    summary = "A light curve: flux against time with error bars, the quality mask applied, and a binned view.",
    text = "A path is read as a TESS or Kepler light-curve FITS file (its first table, mast.fits.read). Rows "
      .. "with a non-zero quality flag are removed and counted; the binned view (means, with the standard "
      .. "error of each bin) is drawn over the points.",
    options = with({
      { name = "time", type = "string", default = "\"TIME\"", group = "columns", text = "the time column" },
      { name = "flux", type = "string", default = "\"PDCSAP_FLUX\", then \"SAP_FLUX\", \"FLUX\"", group = "columns",
        text = "the flux column" },
      { name = "err", type = "string|false", default = "<flux>_ERR", group = "columns",
        text = "the flux error column (false: no error bars)" },
      { name = "quality", type = "string|false", default = "\"QUALITY\"", group = "columns",
        text = "rows where this is non-zero are removed (false: keep all)" },
      { name = "bin", type = "number|string|false", default = "1/100 of the span (50 points or more)",
        group = "bins", text = "the bin width in the time's units (days for TESS and Kepler), a width with a "
          .. "unit (\"30 min\", \"2 h\", \"600 s\", \"0.5 d\"), \"N points\", or false for none" },
      { name = "normalize", type = "boolean", default = "false", group = "what", text = "divide flux by its median" },
      { name = "size", type = "number", group = "marks", text = "the points' size in pixels" },
    }),
    returns = RETURNS .. "; also points, removed, skipped, bins (counts)",
    example = "local rows = {}\nfor i = 1, 200 do rows[i] = {TIME = i / 50, PDCSAP_FLUX = 1 + 0.01 * math.sin(i / 9), "
      .. "QUALITY = 0} end\n"
      .. "local lc = require('mast.dataset').result(rows, {{name = 'TIME', type = 'float'}, "
      .. "{name = 'PDCSAP_FLUX', type = 'float'}, {name = 'QUALITY', type = 'int'}})\n"
      .. "print(mast.plot.lightcurve(lc, {file = 'lc.png', bin = '2 h'}))",
  },
  ["mast.plot.image"] = {
    sig = "mast.plot.image(img, opts) -> plot",
    summary = "An image (a FITS image HDU or one frame of a target-pixel file) with a stretch and a colour bar.",
    text = "img is {width =, height =, data = {width*height numbers}, bunit =}, row-major from the bottom row "
      .. "(FITS order), as mast.fits gives it. Pixels are square and unsmoothed, (1, 1) at the bottom left. "
      .. "zscale is IRAF's: a line fitted to the sorted sample of up to 1000 pixels with 2.5σ rejection, "
      .. "its slope divided by the contrast 0.25. Blank (NaN) pixels are drawn in the colour map's own "
      .. "blank colour (magenta for gray, red for deep, blue for heat) and counted.",
    options = with({
      { name = "stretch", type = "string", default = "\"zscale\"", group = "stretch",
        text = "\"zscale\", \"percentile\" (the central percent of pixels) or \"linear\" (minimum to maximum)" },
      { name = "percent", type = "number", default = "99.5", group = "stretch", text = "for stretch = \"percentile\"" },
      { name = "vmin", type = "number", group = "stretch", text = "the value drawn darkest (overrides the stretch)" },
      { name = "vmax", type = "number", group = "stretch", text = "the value drawn brightest" },
      { name = "scale", type = "string", default = "\"linear\"", group = "stretch",
        text = "\"linear\", \"sqrt\", \"log\" or \"asinh\": how the range maps onto the colour map" },
      { name = "cmap", type = "string", default = "\"gray\"", group = "colour",
        text = "\"gray\", \"deep\" (violet-blue-green-yellow, lightness rising) or \"heat\"" },
      { name = "colorbar", type = "boolean", default = "true", group = "colour", text = "a colour bar with values" },
    }),
    returns = RETURNS .. "; also range = {lo, hi} and blank (count)",
    example = "local img = {width = 20, height = 10, data = {}}\n"
      .. "for i = 1, 200 do img.data[i] = math.random() end\n"
      .. "print(mast.plot.image(img, {file = 'image.png', cmap = 'deep'}))",
  },
  ["mast.plot.zscale"] = {
    returns = "z1, z2: the display range",
    sig = "mast.plot.zscale(values [, n]) -> z1, z2",
    summary = "IRAF's zscale display range of the first n values (NaN and nulls skipped).",
    example = "print(mast.plot.zscale({1, 2, 3, 4, 5, 6, 7, 8, 9, 100}))",
  },
  ["mast.plot.ticks"] = {
    returns = "a list of {at =, label =}",
    sig = "mast.plot.ticks(lo, hi [, n]) -> {{at =, label =}, ...}",
    summary = "About n round values (1, 2 or 5 times a power of ten apart) between lo and hi, with labels.",
    example = "for _, t in ipairs(mast.plot.ticks(0, 1)) do print(t.at, t.label) end",
  },
  ["mast.plot.regions"] = {
    returns = "a list of shapes, each {kind = 'polygon' | 'circle', ...} in degrees",
    sig = "mast.plot.regions(s_region) -> shapes",
    summary = "The POLYGON and CIRCLE shapes of an STC-S s_region value, as lists of degrees.",
    example = "local s = mast.plot.regions('POLYGON ICRS 1 2 3 4 5 6 CIRCLE 10 20 0.5')\nprint(#s, s[2].kind)",
  },
}
