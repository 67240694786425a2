-- Help entries (mast.help): catalogs.
return {
  ["mast.catalogs"] = {
    sig = "mast.catalogs",
    summary = "MAST's catalogs: Gaia, TGAS, GALEX, the TESS Input Catalog, the CTL and Disk Detective.",
  },
  ["mast.catalogs.columns"] = {
    sig = "mast.catalogs.columns(\"tic\" | \"ctl\" | \"dd\" [, {deadline =}]) -> a printable dataset of",
    summary = "{name, type, description, units, separator}: the columns criteria may name.",
  },
  ["mast.catalogs.ctl_cone"] = {
    sig = "mast.catalogs.ctl_cone{..., radius = 0.02} -> result  (Mast.Catalogs.Ctl.Cone)",
    summary = "Sources of the TESS Candidate Target List within radius degrees of a position.",
  },
  ["mast.catalogs.ctl_filtered"] = {
    sig = "mast.catalogs.ctl_filtered{filters = {...} [, columns = '*']} -> result",
    summary = "Rows of the TESS Candidate Target List matching the filters (Mast.Catalogs.Ctl.Filtered).",
  },
  ["mast.catalogs.ctl_filtered_count"] = {
    sig = "mast.catalogs.ctl_filtered_count{filters = {...}} -> integer",
    summary = "How many rows of the TESS Candidate Target List match the filters (COUNT_BIG(*)).",
  },
  ["mast.catalogs.ctl_filtered_position"] = {
    sig = "mast.catalogs.ctl_filtered_position{ra =, dec = | target =, radius =, filters = {...}} -> result",
    summary = "Rows of the TESS Candidate Target List matching the filters within a cone.",
  },
  ["mast.catalogs.ctl_filtered_position_count"] = {
    sig = "mast.catalogs.ctl_filtered_position_count{ra =, dec = | target =, radius =, filters = {...}} -> integer",
    summary = "How many rows of the TESS Candidate Target List match the filters within a cone.",
  },
  ["mast.catalogs.ctl_filtered_position_rows"] = {
    sig = "mast.catalogs.ctl_filtered_position_rows{ra =, dec =, radius =, filters = {...}} -> result",
    summary = "Rows of the TESS Candidate Target List matching the filters within a cone, rows only (faster).",
  },
  ["mast.catalogs.ctl_filtered_rows"] = {
    sig = "mast.catalogs.ctl_filtered_rows{filters = {...} [, columns = '*']} -> result",
    summary = "Rows of the TESS Candidate Target List matching the filters, rows only (faster: no count).",
  },
  ["mast.catalogs.dd_cone"] = {
    sig = "mast.catalogs.dd_cone{...} -> result        (Mast.Catalogs.DiskDetective.Cone)",
    summary = "Sources of Disk Detective within radius degrees of a position.",
  },
  ["mast.catalogs.dd_filtered"] = {
    sig = "mast.catalogs.dd_filtered{filters = {...} [, columns = '*']} -> result",
    summary = "Rows of Disk Detective matching the filters (Mast.Catalogs.DiskDetective.Filtered).",
  },
  ["mast.catalogs.dd_filtered_count"] = {
    sig = "mast.catalogs.dd_filtered_count{filters = {...}} -> integer",
    summary = "How many rows of Disk Detective match the filters (COUNT_BIG(*)).",
  },
  ["mast.catalogs.dd_filtered_position"] = {
    sig = "mast.catalogs.dd_filtered_position{ra =, dec = | target =, radius =, filters = {...}} -> result",
    summary = "Rows of Disk Detective matching the filters within a cone.",
  },
  ["mast.catalogs.dd_filtered_position_count"] = {
    sig = "mast.catalogs.dd_filtered_position_count{ra =, dec = | target =, radius =, filters = {...}} -> integer",
    summary = "How many rows of Disk Detective match the filters within a cone.",
  },
  ["mast.catalogs.gaia_dr1_cone"] = {
    sig = "mast.catalogs.gaia_dr1_cone{ra =, dec = | target =, radius = 0.2} -> result  (Mast.Catalogs.GaiaDR1.Cone)",
    summary = "Sources of the GaiaDR1 catalog within radius degrees of a position.",
  },
  ["mast.catalogs.gaia_dr2_cone"] = {
    sig = "mast.catalogs.gaia_dr2_cone{...} -> result  (Mast.Catalogs.GaiaDR2.Cone)",
    summary = "Sources of the GaiaDR2 catalog within radius degrees of a position.",
  },
  ["mast.catalogs.gaia_dr3_cone"] = {
    sig = "mast.catalogs.gaia_dr3_cone{...} -> result  (Mast.Catalogs.GaiaDR3.Cone)",
    summary = "Sources of the GaiaDR3 catalog within radius degrees of a position.",
  },
  ["mast.catalogs.galex_cone"] = {
    sig = "mast.catalogs.galex_cone{... [, maxrecords =]} -> result  (Mast.Galex.Catalog)",
    summary = "Sources of the Galex catalog within radius degrees of a position.",
  },
  ["mast.catalogs.tgas_cone"] = {
    sig = "mast.catalogs.tgas_cone{...} -> result      (Mast.Catalogs.Tgas.Cone)",
    summary = "Sources of the Tgas catalog within radius degrees of a position.",
  },
  ["mast.catalogs.tic_cone"] = {
    sig = "mast.catalogs.tic_cone{..., radius = 0.02} -> result  (Mast.Catalogs.Tic.Cone)",
    summary = "Sources of the TESS Input Catalog within radius degrees of a position.",
    returns = "a mast.Result",
    example = "local r = mast.catalogs.tic_cone{ra = 210.8, dec = 54.35, radius = 0.01}",
  },
  ["mast.catalogs.tic_filtered"] = {
    sig = "mast.catalogs.tic_filtered{filters = {...} [, columns = '*']} -> result",
    summary = "Rows of the TESS Input Catalog matching the filters (Mast.Catalogs.Tic.Filtered).",
  },
  ["mast.catalogs.tic_filtered_count"] = {
    sig = "mast.catalogs.tic_filtered_count{filters = {...}} -> integer",
    summary = "How many rows of the TESS Input Catalog match the filters (COUNT_BIG(*)).",
  },
  ["mast.catalogs.tic_filtered_position"] = {
    sig = "mast.catalogs.tic_filtered_position{ra =, dec = | target =, radius =, filters = {...}} -> result",
    summary = "Rows of the TESS Input Catalog matching the filters within a cone.",
  },
  ["mast.catalogs.tic_filtered_position_count"] = {
    sig = "mast.catalogs.tic_filtered_position_count{ra =, dec = | target =, radius =, filters = {...}} -> integer",
    summary = "How many rows of the TESS Input Catalog match the filters within a cone.",
  },
  ["mast.catalogs.tic_filtered_position_rows"] = {
    sig = "mast.catalogs.tic_filtered_position_rows{ra =, dec =, radius =, filters = {...}} -> result",
    summary = "Rows of the TESS Input Catalog matching the filters within a cone, rows only (faster).",
  },
  ["mast.catalogs.tic_filtered_rows"] = {
    sig = "mast.catalogs.tic_filtered_rows{filters = {...} [, columns = '*']} -> result",
    summary = "Rows of the TESS Input Catalog matching the filters, rows only (faster: no count).",
  },
}
