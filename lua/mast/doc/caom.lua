-- Help entries (mast.help): caom.
return {
  ["mast.caom"] = {
    sig = "mast.caom",
    summary = "Observations in MAST's Common Archive Observation Model (CAOM): cone, filtered, products.",
  },
  ["mast.caom.cone"] = {
    sig = "mast.caom.cone{ra =, dec = | target =, radius = 0.2 [, exclude_hla = true]} -> result",
    summary = "Mast.Caom.Cone: the observations within radius degrees.",
    returns = "a mast.Result of observations (a grid when printed)",
    example = "local r = mast.caom.cone{target = 'M101', radius = '3 arcmin'}\nprint(r:count(), r.data[1].obs_id)",
  },
  ["mast.caom.filtered"] = {
    sig = "mast.caom.filtered{filters = {...} [, columns = \"*\", obstype = \"all\"]} -> result",
    summary = "Observations matching filters (Mast.Caom.Filtered).",
    text = "Mast.Caom.Filtered: observations matching the filters (a plain table such as {dataproduct_type = \"image\", t_max = {52264.4586, 54452.8914}}, or mast.set_filters' list).",
    returns = "a mast.Result",
    example = "local r = mast.caom.filtered{filters = {dataproduct_type = 'image', proposal_pi = 'Osten'}}",
  },
  ["mast.caom.filtered_count"] = {
    sig = "mast.caom.filtered_count{filters = {...} [, obstype =]} -> integer",
    summary = "The same search as a COUNT_BIG(*) query: how many observations match.",
    returns = "an integer",
    example = "local n = mast.caom.filtered_count{filters = {obs_collection = 'HST'}}",
  },
  ["mast.caom.filtered_position"] = {
    returns = "a mast.Result of the observations",
    example = "local r = mast.caom.filtered_position{target = 'M101', radius = '3 arcmin', filters = {obs_collection = 'HST'}}\nprint(r:count())",
    sig = "mast.caom.filtered_position{ra =, dec = | target =, radius = 0.2, filters = {...} [, columns = \"*\"]} -> result",
    summary = "Mast.Caom.Filtered.Position: filters within a cone (sent as position = \"ra, dec, radius\").",
  },
  ["mast.caom.filtered_position_count"] = {
    returns = "an integer",
    example = "local n = mast.caom.filtered_position_count{ra = 210.80243, dec = 54.34875, radius = 0.2, filters = {dataproduct_type = 'image'}}",
    sig = "mast.caom.filtered_position_count{ra =, dec = | target =, radius = 0.2, filters = {...}} -> integer",
    summary = "How many observations match the filters within the cone (COUNT_BIG(*)).",
  },
  ["mast.caom.products"] = {
    sig = "mast.caom.products{obsid = <id or list> [, pagesize =, page =]} -> result",
    summary = "The data products of observations, by obsid (Mast.Caom.Products).",
    text = "Mast.Caom.Products: the data products of observations (their `obsid`, not obs_id; several are sent comma-joined in one request). For many observations mast.products batches the requests.",
    returns = "a mast.Result of products",
    example = "local p = mast.caom.products{obsid = 2003738726}",
  },
}
