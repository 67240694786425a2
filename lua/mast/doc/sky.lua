-- Help entries of mast.sky (data only; see the help builder).
return {
  ["mast.sky"] = {
    sig = "mast.sky",
    summary = "On the sky: angular separations, and a local cross-match of two datasets by radius.",
    text = "mast.sky.separation gives the angle between two positions (Vincenty's formula); mast.sky.match(a, b, {radius = arcsec}) matches every dataset against another, nearest or all pairs, in C (declination zones sorted by RA): 1,000,000 x 1,000,000 in a fraction of a second.",
    returns = "the module",
  },
  ["mast.sky.separation"] = {
    sig = "mast.sky.separation(ra1, dec1, ra2, dec2) -> degrees | mast.sky.separation(p1, p2) -> degrees",
    summary = "The angle between two positions on the sky, in degrees.",
    text = "Vincenty's formula, accurate for tiny separations (micro-arcseconds) and for nearly antipodal "
      .. "ones. The positions are four numbers in degrees, or two tables: rows of a dataset or "
      .. "{ra =, dec =} tables (the usual position columns are found: ra/dec, s_ra/s_dec, RA_ICRS/DE_ICRS, "
      .. "RAJ2000/DEJ2000, raMean/decMean, ...), or {ra, dec} lists. A declination outside -90..90, or a "
      .. "value that is not a number (a null), is a usage error naming the position.",
    returns = "the separation in degrees (0 to 180)",
    example = "print(mast.sky.separation(359.5, 0, 0.5, 0))   --> 1.0\n"
      .. "print(mast.sky.separation({ra = 0, dec = 89.5}, {ra = 180, dec = 89.5}) * 3600, 'arcsec')",
  },
  ["mast.sky.match"] = {
    sig = "mast.sky.match(a, b, {radius = arcsec, mode =, how =, ra =, dec =, suffix =}) -> dataset",
    summary = "Cross-match two datasets locally by position: nearest or all rows of b within a radius.",
    text = "a and b are any datasets (a query's result, a mast.Table, {fields =, data =}). For each row of "
      .. "a, the nearest row of b within the radius (mode = 'nearest'), or every one (mode = 'all', "
      .. "nearest first). The result is a printable dataset of a's columns, then b's, then sep_arcsec "
      .. "(the separation in arcseconds); a column name both have is suffixed on each side (ra_1, ra_2). "
      .. "A row whose position is null or not a number matches nothing; result.skipped = {a =, b =} "
      .. "counts them (and result.msg says so). Correct across RA 0/360 and at the poles. Runs in C "
      .. "(declination zones sorted by right ascension): a million rows against a million in well under "
      .. "a second. Nothing is sent to MAST (for MAST's own catalogues see mast.crossmatch).",
    options = {
      { name = "radius", type = "number|string", default = "(required)", group = "what",
        text = "The match radius: arcseconds, or a string with a unit ('2 arcsec', '0.5 arcmin')." },
      { name = "mode", type = "string", default = "'nearest'", group = "what",
        text = "'nearest': one row of b for each row of a; 'all': every pair within the radius." },
      { name = "how", type = "string", default = "'inner'", group = "result",
        text = "'inner': only rows of a that matched; 'left': every row of a, with nulls for b's columns "
          .. "and sep_arcsec where nothing matched." },
      { name = "ra", type = "string|{string, string}", default = "detected", group = "columns",
        text = "The right-ascension column (degrees), for both datasets or {column of a, column of b}. "
          .. "Default: the first of ra, s_ra, RA_ICRS, RAJ2000, raMean, MatchRA, ... present." },
      { name = "dec", type = "string|{string, string}", default = "detected", group = "columns",
        text = "The declination column (degrees), as for ra." },
      { name = "suffix", type = "{string, string}", default = "{'_1', '_2'}", group = "result",
        text = "What is appended to a column name both datasets have (a's, b's)." },
    },
    returns = "a dataset (mast.Result) with the columns of a, of b and sep_arcsec; .skipped = {a =, b =}",
    example = "local a = {fields = {{name = 'id', type = 'int'}, {name = 'ra', type = 'float'},\n"
      .. "                     {name = 'dec', type = 'float'}},\n"
      .. "           data = {{id = 1, ra = 210.80243, dec = 54.34875}, {id = 2, ra = 0.1, dec = -89.9}}}\n"
      .. "local b = {fields = {{name = 'RAJ2000', type = 'float'}, {name = 'DEJ2000', type = 'float'}},\n"
      .. "           data = {{RAJ2000 = 210.8025, DEJ2000 = 54.3488}}}\n"
      .. "print(mast.sky.match(a, b, {radius = 2, how = 'left'}))",
  },
}
