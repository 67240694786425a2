-- Help entries (mast.help): missions.
return {
  ["mast.missions"] = {
    sig = "mast.missions",
    summary = "MAST's missions: the list CAOM holds, and mission-specific searches and products.",
  },
  ["mast.missions.columns"] = {
    sig = "mast.missions.columns(mission [, opts]) -> Result of {name, type, description, queryable, default_output}",
    summary = "The mission's columns (column_list), asked once per process.",
    text = "opts: deadline, progress.",
  },
  ["mast.missions.download_products"] = {
    sig = "mast.missions.download_products(mission, products, dir [, opts]) -> manifest",
    summary = "Downloads mission products into dir/<dataset>/<filename>.",
    text = "Every product (rows of mast.missions.products) into dir/<dataset>/<filename> with mast.download's guarantees (resume, size check, .part renamed when whole), through retrieve_product (its redirects followed; the token only to MAST). The manifest is mast.download_products's ({local_path, status, message, url, uri, bytes} per product; an unsafe name fails its product alone). opts: concurrency, overwrite, progress, manifest.",
  },
  ["mast.missions.download_zip"] = {
    sig = "mast.missions.download_zip(mission, products, path [, opts]) -> {path, bytes, files}",
    summary = "Downloads mission products as one zip file.",
    text = "Every product (rows of mast.missions.products, or their uri strings \"DATASET/file\") as one zip from retrieve_product_zip, written to path with mast's download guarantees (<path>.part, size check, renamed when whole; never resumed: each answer is a new zip). opts: structure (\"nested\": DATASET/file, the default; or \"flat\"), extract (a directory: the zip is unpacked there with mast's safe extraction; files lists what was written), deadline, overwrite.",
  },
  ["mast.missions.list"] = {
    sig = "mast.missions.list([opts]) -> {\"IUE\", \"Kepler\", \"HST\", ...}",
    summary = "Mast.Missions.List: the `distinctValue` of every row, in MAST's order.",
    text = "opts: deadline, progress.",
  },
  ["mast.missions.product_url"] = {
    sig = "mast.missions.product_url(row [, opts]) -> url",
    summary = "The download URL of one mission product row.",
  },
  ["mast.missions.products"] = {
    sig = "mast.missions.products(mission, datasets [, opts]) -> Result of products",
    summary = "The products of mission datasets (names or a search result).",
    text = "datasets: names ({\"Z14Z0104T\", ...}), or a search Result (its sci_data_set_name, or opts.column). Sent 1,000 names a request, concurrently. opts: column, deadline, progress.",
  },
  ["mast.missions.search"] = {
    sig = "mast.missions.search(mission, criteria [, opts]) -> Result (or a count)",
    summary = "Datasets of a mission (hst, jwst, ...) through the Missions search API.",
    text = "criteria: {column = value}: a value is sent as it is (\"WFC3\", \">1000\", \"J8*\"), a list is any of its values ({\"WFC3\", \"ACS\"}), a number as its text; on a datetime column an MJD number becomes ISO text and {from, to} a range. opts: ra, dec (degrees) or target (a name, resolved) or targets ({{ra, dec}, ...}, at most 100); radius (degrees, or \"3 arcmin\"; default 3 arcmin; at most 30 arcmin); select_cols, sort_by (names or comma text), sort_desc ({true, false, ...}); limit (default 5000), offset; all = true: every row, pages fetched concurrently (max_rows: a budget); count = true: only the number of matching datasets. deadline, progress, concurrency. Column names are checked against mast.missions.columns(mission) (case-insensitive) before anything is sent; string values come back with their padding trimmed.",
  },
}
