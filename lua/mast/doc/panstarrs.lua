-- Help entries (mast.help): panstarrs.
return {
  ["mast.panstarrs"] = {
    sig = "mast.panstarrs",
    summary = "Pan-STARRS1 (DR1, DR2) through catalogs.mast's API.",
  },
  ["mast.panstarrs.columns"] = {
    sig = "mast.panstarrs.columns{release =, table =} -> Result of {name, type, unit, description}",
    summary = "The columns of a Pan-STARRS table (release, table).",
  },
  ["mast.panstarrs.cone"] = {
    sig = "mast.panstarrs.cone{ra =, dec =, radius =, release = 'dr2', table = 'mean', criteria =, columns =, sort_by =} -> Result",
    summary = "Pan-STARRS1 sources within a cone, with criteria on any column.",
  },
  ["mast.panstarrs.search"] = {
    sig = "mast.panstarrs.search{criteria =, release =, table =, ...} -> Result",
    summary = "Pan-STARRS1 sources matching criteria, without a position.",
  },
}
