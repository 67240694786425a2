-- Help entries (mast.help): panstarrs.
return {
  ["mast.panstarrs"] = {
    sig = "mast.panstarrs",
    summary = "Pan-STARRS1 (DR1, DR2) through catalogs.mast's API.",
  },
  ["mast.panstarrs.columns"] = {
    options = {
      { name = "release", type = "'dr1' | 'dr2'", default = "'dr2'", text = "The data release." },
      { name = "table", type = "'mean' | 'stack' | 'detection' | ...", default = "'mean'", text = "The table." },
    },
    returns = "a Result of {name, type, unit, description}",
    example = "print(mast.panstarrs.columns{release = 'dr2', table = 'mean'})",
    sig = "mast.panstarrs.columns{release =, table =} -> Result of {name, type, unit, description}",
    summary = "The columns of a Pan-STARRS table (release, table).",
  },
  ["mast.panstarrs.cone"] = {
    options = {
      { name = "radius", default = "required", text = "The search radius: degrees or a string with a unit (at most 30 arcmin)." },
      { name = "release", type = "'dr1' | 'dr2'", default = "'dr2'", text = "The data release." },
      { name = "table", type = "'mean' | 'stack' | 'detection' | ...", default = "'mean'", text = "The table." },
      { name = "criteria", type = "table", text = "Criteria on any column: {nDetections = {'>', 5}, ...} (names checked against the table's columns)." },
      { name = "columns", default = "the table's default columns", text = "The columns to return (names checked)." },
      { name = "sort_by", type = "string | {names}", text = "Columns to sort by ('-name': descending)." },
      { name = "pagesize", text = "Rows per page." },
      { name = "page", default = "1", text = "Which page." },
    },
    returns = "a mast.Result of Pan-STARRS sources",
    example = "local r = mast.panstarrs.cone{ra = 210.80243, dec = 54.34875, radius = '1 arcmin', criteria = {nDetections = {'>', 5}}, columns = 'objID, raMean, decMean'}",
    sig = "mast.panstarrs.cone{ra =, dec =, radius =, release = 'dr2', table = 'mean', criteria =, columns =, sort_by =} -> Result",
    summary = "Pan-STARRS1 sources within a cone, with criteria on any column.",
  },
  ["mast.panstarrs.search"] = {
    options = {
      { name = "release", type = "'dr1' | 'dr2'", default = "'dr2'", text = "The data release." },
      { name = "table", type = "'mean' | 'stack' | 'detection' | ...", default = "'mean'", text = "The table." },
      { name = "criteria", type = "table", default = "required", text = "Criteria on any column: {nDetections = {'>', 5}, ...} (names checked against the table's columns)." },
      { name = "columns", default = "the table's default columns", text = "The columns to return (names checked)." },
      { name = "sort_by", type = "string | {names}", text = "Columns to sort by ('-name': descending)." },
      { name = "pagesize", text = "Rows per page." },
      { name = "page", default = "1", text = "Which page." },
    },
    returns = "a mast.Result of Pan-STARRS sources",
    example = "local r = mast.panstarrs.search{criteria = {objID = 190492103165573550}, release = 'dr2', table = 'mean'}",
    sig = "mast.panstarrs.search{criteria =, release =, table =, ...} -> Result",
    summary = "Pan-STARRS1 sources matching criteria, without a position.",
  },
}
