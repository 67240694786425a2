-- Help entries (mast.help): tap.
return {
  ["mast.tap"] = {
    sig = "mast.tap",
    summary = "ADQL queries of MAST's VO-TAP catalogs (/vo-tap/api/v0.1/<catalog>).",
  },
  ["mast.tap.catalogs"] = {
    returns = "a list of catalog names",
    example = "for _, c in ipairs(mast.tap.catalogs()) do print(c) end",
    sig = "mast.tap.catalogs([opts]) -> the catalogs the service lists (its OpenAPI document's",
    summary = "CatalogName), asked once per process.",
    text = "opts: deadline, progress.",
  },
  ["mast.tap.columns"] = {
    returns = "a Result of {name, datatype, arraysize, unit, ucd, description}",
    example = "print(mast.tap.columns(\"tic\", \"dbo.catalogrecord\"))",
    sig = "mast.tap.columns(catalog, table [, opts]) -> Result of {name, datatype, arraysize, unit, ucd, description}",
    summary = "The columns of one table of a TAP catalog.",
  },
  ["mast.tap.cone"] = {
    returns = "a mast.Result (r.adql: the ADQL sent)",
    example = "local r = mast.tap.cone(\"tic\", {ra = 210.8, dec = 54.35, radius = \"1 arcmin\", columns = \"ID, ra, dec, Tmag\", top = 10})\nprint(r.adql)",
    sig = "mast.tap.cone(catalog, spec [, opts]) -> Result",
    summary = "A cone search of a TAP catalog's table (ADQL written for you).",
    text = "spec: ra, dec (degrees), radius (degrees, or '10 arcsec'); table (default: the catalog's main table, e.g. the TIC's dbo.catalogrecord); columns (names or comma text; default all), where (more ADQL conditions), top, order_by, ra_column/dec_column (default ra, dec). Column names are checked against the table's VOSI columns before anything is sent. opts: as mast.tap.query. The ADQL sent is r.adql.",
    options = {
      { name = "table", text = "The table (default: the catalog's main table)." },
      { name = "columns", text = "The columns to return." },
      { name = "where", text = "An ADQL condition added with AND." },
      { name = "top", text = "At most this many rows." },
      { name = "order_by", text = "An ADQL ORDER BY expression." },
      { name = "ra_column", text = "The table's right ascension column." },
      { name = "dec_column", text = "The table's declination column." },
    },
  },
  ["mast.tap.query"] = {
    returns = "a mast.Result (also r.info, r.overflow; r.job for an async query)",
    example = "local r = mast.tap.query(\"tic\", \"SELECT TOP 5 ID, Tmag FROM dbo.catalogrecord WHERE Tmag < 6\", {maxrec = 5})",
    sig = "mast.tap.query(catalog, adql [, opts]) -> Result",
    summary = "Runs an ADQL query on one of MAST's TAP catalogs.",
    text = "opts: maxrec (at most 100,000: the service's limit), async (a UWS job rather than one request: for long queries), runid, deadline, progress. The Result also has info (the VOTable's INFO), overflow, and for a job its address (job).",
    options = {
      { name = "maxrec", type = "integer (1 to 100000)", text = "At most this many rows (the service allows up to 100,000)." },
      { name = "async", text = "Run as a UWS job rather than one request (for long queries)." },
      { name = "runid", text = "A run id the service records with the job." },
    },
  },
  ["mast.tap.tables"] = {
    returns = "a Result of {schema, name, description, columns}",
    example = "print(mast.tap.tables(\"tic\"))",
    sig = "mast.tap.tables(catalog [, opts]) -> Result of {schema, name, description, columns (a count)}",
    summary = "The tables a TAP catalog holds.",
  },
}
