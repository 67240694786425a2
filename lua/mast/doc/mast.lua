-- Help entries (mast.help): mast.
return {
  ["mast.array"] = {
    returns = "t (or a new empty table), marked as a JSON array",
    example = "print(mast.json.encode{ids = mast.array()})   --> {\"ids\":[]}",
    sig = "mast.array([t]) -> t",
    summary = "Marks a table as a JSON array, so an empty one encodes as [] (not {}).",
  },
  ["mast.bundle"] = {
    returns = "{path, bytes, status, url, files}: the archive written (files: what extract unpacked)",
    example = "local b = mast.bundle({\"mast:HST/product/jbeo01010_drz.fits\"}, \"bundle.tar.gz\", {extract = \"out\"})\nprint(b.path, #b.files)",
    sig = "mast.bundle(uris, dest [, opts]) -> {path, bytes, status, url, files}",
    summary = "Downloads many files as one tar.gz or zip archive (MAST's bundle service), optionally unpacked.",
    text = "POSTs the URIs as repeated uri= form fields to <base>/api/v0.1/Download/bundle.<format> and streams the archive to dest with mast.download's guarantees. opts.format: \"tar.gz\" or \"zip\" (default: from dest's extension). opts.extract: a directory to unpack the archive into; hostile entries (absolute paths, '..', links leading outside) make it refuse the whole archive. The result's `files` lists {path, size} of what was written.",
    options = {
      { name = "format", type = "'tar.gz' | 'zip'", default = "from dest's extension", group = "options", text = "The archive's format." },
      { name = "extract", text = "A directory to unpack the archive into (hostile entries make it refuse the archive)." },
      { name = "progress", text = "false for no display; a function(p) to be told of progress." },
      { name = "deadline", default = "none", text = "Seconds the whole download may take, retries included (default: none)." },
    },
  },
  ["mast.cloud_uris"] = {
    returns = "a list parallel to the input: {uri, s3, url} for a file in the bucket ({uri, reason} for one that is not)",
    example = "local p = mast.caom.products{obsid = \"2003738726\"}\nfor _, c in ipairs(mast.cloud_uris(p)) do print(c.s3 or c.reason) end",
    options = {
      { name = "deadline", type = "number (seconds)", default = "the deadline setting", group = "run", text = "Seconds the whole call may take." },
    },
    sig = "mast.cloud_uris(rows_or_uris [, opts]) -> list",
    summary = "The public S3 locations (s3:// and https) of products in MAST's cloud bucket, parallel to the input.",
    text = "opts: deadline.",
  },
  ["mast.config"] = {
    no_options = "the settings (the reference's settings table: mast.config's keys)",
    sig = "mast.config() | mast.config(\"key\") | mast.config{key = value, ...} -> settings",
    summary = "Reads or changes mast's settings (base URL, token, deadline, concurrency, ...).",
    text = "mast.config(\"key\") -> one setting. mast.config{key = value, ...} -> sets them (all or none) and returns the table of settings. The token reads back as \"<set>\" (or nil), never as its value.",
    returns = "the table of settings, or one setting",
    example = "print(mast.config('base_url'))",
  },
  ["mast.download"] = {
    returns = "{path, bytes, status, url, skipped, resumed, seconds}: where the file is and how it came",
    example = "local p = mast.caom.products{obsid = \"2003738726\"}\nlocal d = mast.download(p.data[1].dataURI, \"/tmp/\")\nprint(d.path, d.bytes, d.skipped)",
    sig = "mast.download(uri_or_url, dest [, opts]) -> {path, bytes, status, url, skipped, resumed, seconds}",
    summary = "Downloads one file (a mast: URI or a URL), resuming a .part and checking the size.",
    text = "uri_or_url: a mast: URI (fetched through <base>/api/v0.1/Download/file) or an http(s) URL. dest: the file to write, or a directory (the file keeps its own name). opts.size: the expected size in bytes (from the product's `size`): checked, and an existing dest of that size is kept without touching the network. opts.overwrite: download even if dest already has the expected size. opts.resume: false to discard an existing <dest>.part instead of resuming it. opts.progress: false for no display; a function(p) to be told of progress (p.bytes, p.bytes_total, p.rate, p.elapsed); an error in it aborts the download. opts.deadline: seconds the whole download may take, retries included (none by default: a big file may take hours); past it a timeout error, the .part kept for a resume.",
    options = {
      { name = "size", text = "The expected size in bytes (a product's size): checked, and a file already of that size is kept." },
      { name = "overwrite", text = "Download even if dest already has the expected size." },
      { name = "resume", text = "false: discard an existing .part instead of resuming it." },
      { name = "progress", text = "false for no display; a function(p) told of p.bytes, p.bytes_total, p.rate, p.elapsed." },
      { name = "deadline", default = "none", text = "Seconds the whole download may take, retries included (default: none); then a timeout error, the .part kept." },
    },
  },
  ["mast.download_many"] = {
    returns = "a list, one entry per item in order: {ok, uri, path, bytes, status, url, skipped, resumed, error}",
    example = "local out = mast.download_many({{uri = \"mast:HST/product/a_drz.fits\", dest = \"a.fits\"}, {uri = \"mast:HST/product/b_drz.fits\", dest = \"b.fits\"}})\nfor _, d in ipairs(out) do print(d.ok, d.path) end",
    sig = "mast.download_many(items [, opts]) -> one result per item, in order",
    summary = "Downloads many files concurrently, one progress line; one result per item.",
    text = "items: a list of {uri = <mast: URI or URL>, dest = <path>, size = <bytes, optional>}. Runs opts.concurrency transfers at once (default: the concurrency setting) over one multi handle with one progress line. A failure does not stop the others: each result is {ok, uri, path, bytes, status, url, skipped, resumed, error}.",
    options = {
      { name = "overwrite", text = "Download even if a file already has its expected size." },
      { name = "resume", text = "false: discard existing .part files instead of resuming them." },
      { name = "progress", text = "false for no display; a function(p) to be told of progress." },
      { name = "deadline", default = "none", text = "Seconds the whole batch may take, retries included (default: none)." },
    },
  },
  ["mast.download_products"] = {
    sig = "mast.download_products(products, dir [, opts]) -> manifest",
    summary = "Downloads products concurrently into a directory tree, checking sizes; returns a manifest.",
    text = "Downloads every product (a products result or a list of rows) concurrently to <dir>/mastDownload/<obs_collection>/<obs_id>/<productFilename> (opts.flat: <dir>/<productFilename>), checking each file against its `size`. Names come from the server: one that is empty, '.', '..', or holds '/' or NUL is refused and that product fails; nothing is written outside dir. Returns the manifest, one entry per product in order: {local_path, status = \"COMPLETE\" | \"SKIPPED\" | \"ERROR\", message, url, uri, bytes} opts.manifest = <path>: also write it there as CSV. opts.concurrency, opts.overwrite, opts.progress: as mast.download_many. opts.source: \"mast\" (the default), \"cloud\" (public files from MAST's S3 bucket over HTTPS, anonymous; the others fail with the reason) or \"auto\" (the bucket where it has the file, MAST otherwise); exclusive-access products always come from MAST. Each entry says its source. products may also be observations (their products are listed first), and any other key of opts is a criterion as mast.filter_products takes it (productType = \"SCIENCE\", mrp_only = true). opts.script = <path>: write a curl script there instead of downloading (entries SCRIPTED). A failed product is an ERROR entry, and a line on the terminal says how many; opts.strict = true raises instead.",
    returns = "a manifest: one {local_path, status, message, url} per product",
    example = "local p = mast.products(2003738726)\nlocal m = mast.download_products(mast.filter_products(p, {productType = 'SCIENCE'}), 'data')",
    options = {
      { name = "flat", text = "Write <dir>/<productFilename> instead of <dir>/mastDownload/<collection>/<obs_id>/." },
      { name = "manifest", text = "Also write the manifest there as CSV." },
      { name = "overwrite", text = "Download even if a file already has its expected size." },
      { name = "script", text = "Write a curl script there instead of downloading." },
      { name = "source", type = "'mast' | 'cloud' | 'auto'", default = "'mast'", text = "'mast' (default), 'cloud' (MAST's public S3 bucket) or 'auto' (the bucket where it has the file)." },
      { name = "strict", text = "Raise on a failed product instead of an ERROR entry." },
      { name = "shard", text = "true (from SLURM_ARRAY_TASK_ID or MAST_SHARD) or {index =, count =}: only "
        .. "this task's share (mast.shard), its manifest to <manifest or dir/manifest>.shard-I-of-N.json "
        .. "for mast.shard.merge." },
      { name = "progress", text = "false for no display; a function(p) to be told of progress." },
    },
  },
  ["mast.error"] = {
    returns = "a mast error object (err.code, err.message, the fields; tostring gives the text)",
    example = "local e = mast.error(\"usage\", \"bad input\", {fn = \"mine\"})\nprint(e.code, tostring(e))",
    sig = "mast.error(code, message [, fields]) -> error",
    summary = "Makes a mast error object (code, message and context fields; tostring shows its message).",
  },
  ["mast.filter_products"] = {
    returns = "a result of the matching products (same columns)",
    example = "local p = mast.caom.products{obsid = \"2003738726\"}\nlocal sci = mast.filter_products(p, {productType = \"SCIENCE\", extension = \"fits\"})\nprint(sci:count())",
    sig = "mast.filter_products(products, criteria) -> a result with the matching products",
    summary = "The products matching criteria on any product column (extension, mrp_only, ...).",
    text = "criteria: {column = spec, ...} on any product column (all must match), plus extension (\"fits\", \".fits\", \"fits.gz\", ...: the file name's) and mrp_only = true (only the Minimum Recommended Products). A spec is a value, a list (any of them), or a function(value, row). Text matches case-insensitively; \"!x\" excludes x; \">=2\", \"<3\", \"1..3\" compare numbers; \"*\" is a wildcard. Column names are checked (case-insensitively) against the products' columns. Rows with a dataURI seen before are dropped.",
  },
  ["mast.is_error"] = {
    returns = "true for a mast error object, false otherwise",
    example = "local ok, err = pcall(mast.caom.cone, {ra = 1, de = 2})\nprint(mast.is_error(err), err.code)",
    sig = "mast.is_error(v) -> boolean",
    summary = "Whether v is a mast error object (as query_many puts in a failed slot).",
  },
  ["mast.json.decode"] = {
    returns = "the Lua value (JSON null: mast.null; 64-bit integers exact)",
    example = "local v = mast.json.decode('{\"a\": [1, 2, null]}')\nprint(v.a[2], v.a[3] == mast.null)",
    sig = "mast.json.decode(text) -> value",
    summary = "Decodes JSON exactly as mast reads MAST's answers (nulls become mast.null).",
  },
  ["mast.json.encode"] = {
    returns = "the JSON text",
    example = "print(mast.json.encode{service = \"Mast.Caom.Cone\", params = {ra = 210.8}})",
    sig = "mast.json.encode(value) -> text",
    summary = "Encodes a Lua value as JSON exactly as mast sends requests.",
  },
  ["mast.json2csv"] = {
    returns = "the CSV text, or with opts.file the path written",
    example = "local r = mast.caom.cone{target = \"M101\", radius = 0.05}\nmast.json2csv(r, {file = \"m101.csv\"})",
    sig = "mast.json2csv(result [, opts]) -> the CSV text, or (with opts.file) the path written",
    summary = "A result as CSV text (a row of names, a row of types, the rows), or a file.",
    text = "opts.types = false: no row of types. opts.eol: \"\\n\" (default) or \"\\r\\n\". opts.file = path: write it there, through <path>.part renamed when complete, so a half-written file never sits at path.",
    options = {
      { name = "types", text = "false: no row of types." },
      { name = "eol", text = "'\\n' (default) or '\\r\\n'." },
      { name = "file", text = "Write it to this path (through <path>.part) and return the path." },
    },
  },
  ["mast.json2table"] = {
    returns = "a mast.Table: the result's rows held by column (exact 64-bit integers, nulls kept)",
    sig = "mast.json2table(result) -> mast.Table",
    summary = "A result as a columnar mast.Table: one typed Lua array per column, nulls as mast.null.",
    text = "result: a MAST result (a table with fields and data), or the JSON text of a MAST answer, whose rows are then decoded straight into columns without making a table per row (several times faster than decoding the rows and a fraction of their memory); the table is the same either way. Keys a row lacks are null there; keys fields does not name are dropped.",
    example = "local t = mast.json2table('{\"fields\":[{\"name\":\"ra\",\"type\":\"float\"}],\"data\":[{\"ra\":1},{\"ra\":2.5}]}')\nassert(t.data.ra[2] == 2.5 and t:row(1).ra == 1.0)",
  },
  ["mast.login"] = {
    returns = "info: what MAST says of the token (as mast.session_info)",
    example = "local info = mast.login(os.getenv(\"MY_MAST_TOKEN\"))\nprint(info.anonymous)",
    options = {
      { name = "deadline", type = "number (seconds)", default = "the deadline setting", group = "run", text = "Seconds the whole call may take." },
      { name = "progress", type = "boolean", default = "on a terminal", group = "run", text = "Show a waiting line on the terminal (false: nothing)." },
    },
    sig = "mast.login([token [, opts]]) -> info",
    summary = "With a token: it becomes the `token` setting, then MAST is asked who it belongs to.",
    text = "A token MAST does not accept is not kept (mast goes on with no token) and is an error (\"mast\") saying so. Without one: the configured token (MAST_API_TOKEN) is checked.",
  },
  ["mast.null"] = {
    value = true,
    sig = "mast.null",
    summary = "A missing value (JSON null, an empty cell, a FITS TNULL): the same value as cjson.null.",
    text = "A null is one value (a light userdata), so `v == mast.null` tests for it; it never equals a number, "
      .. "a string or false, and it is true in a condition (test it, not its truth). It orders after every "
      .. "value: `mast.null < x` is false and `x < mast.null` true for any other x, `null < null` false, "
      .. "`null <= null` true, so table.sort(rows, function(a, b) return a.mag < b.mag end) puts nulls last and "
      .. "`row.mag < 18` is false for a null. tostring gives \"null\" (and a grid shows it so). Arithmetic, "
      .. "concatenation, # and indexing raise an error that names it: \"attempt to do arithmetic on a null (a "
      .. "missing value)\". mast.ops skip nulls in aggregates and sort them last in both directions; JSON "
      .. "encodes it as null.",
    example = "local r = require(\"mast.dataset\").result({{mag = 17.5}, {mag = mast.null}}, {{name = \"mag\", type = \"float\"}}, \"demo\")\n"
      .. "for _, row in ipairs(r.data) do print(row.mag == mast.null and \"missing\" or row.mag) end\n"
      .. "print(mast.null < 1, 1 < mast.null, tostring(mast.null))   --> false  true  null",
  },
  ["mast.object"] = {
    returns = "t (or a new empty table), marked as a JSON object",
    example = "print(mast.json.encode{params = mast.object()})   --> {\"params\":{}}",
    sig = "mast.object([t]) -> t",
    summary = "Marks a table as a JSON object, so an empty one encodes as {} (not []).",
  },
  ["mast.products"] = {
    sig = "mast.products(x [, opts]) -> one result with the products of every observation",
    summary = "The data products of observations (obsids, rows or a result), in one result.",
    text = "x: an obsid (integer or string; the `obsid` column of a CAOM search, not obs_id), an observations result, one of its rows, or a list mixing them. Each obsid is asked once, in Mast.Caom.Products requests of at most 500 comma-joined ids, run concurrently, joined in order.",
    returns = "a mast.Result of products",
    example = "local obs = mast.caom.cone{ra = 254.28746, dec = -4.09933, radius = 0.05}\nlocal p = mast.products(obs)",
  },
  ["mast.query"] = {
    sig = "mast.query(request [, opts]) -> result",
    summary = "Runs one MAST request (any service) and returns its answer, waiting while MAST is EXECUTING.",
    text = "request: a MAST request table ({service=..., params=..., format=..., pagesize=..., page=...}). opts.deadline: seconds for the whole query, polling included (default: the deadline setting). opts.progress: false to show nothing while MAST is EXECUTING. A json answer comes back decoded (a mast.Result for datasets); csv and votable as text.",
    returns = "a mast.Result for a JSON dataset, else the decoded answer or text",
    example = "local r = mast.query{service = 'Mast.Caom.Cone', params = {ra = 254.28746, dec = -4.09933, radius = 0.2}}",
  },
  ["mast.query_all"] = {
    returns = "one mast.Result holding every row of every page",
    example = "local r = mast.query_all({service = 'Mast.Caom.Cone', params = {ra = 210.80243, dec = 54.34875, radius = 0.2}}, {pagesize = 500})",
    sig = "mast.query_all(request [, opts]) -> one result holding every row",
    summary = "Runs a request and fetches every page concurrently, joined into one result.",
    text = "Fetches page 1, then the other pages concurrently (opts.concurrency at a time, default 4) over kept-alive connections, and joins the rows in order. opts.pagesize: rows per page (default the request's pagesize, else 50000). opts.max_rows / opts.max_bytes: a budget; a result larger than it (known from page 1, bytes estimated from its rows' JSON) is an error before the other pages are fetched. opts.deadline, opts.progress: as mast.query.",
    options = {
      { name = "pagesize", text = "Rows per page (default the request's pagesize, else 50000)." },
      { name = "concurrency", default = "4", text = "Pages fetched at once (the MAST protocol's own default, not the concurrency setting)." },
      { name = "max_rows", text = "Refuse (before fetching the rest) a result of more rows." },
      { name = "max_bytes", text = "Refuse a result estimated larger (from page 1's rows)." },
    },
  },
  ["mast.query_many"] = {
    returns = "a list of answers in order (a failed one: its error object)",
    example = "local out = mast.query_many({{service = 'Mast.Caom.Cone', params = {ra = 210.8, dec = 54.3, radius = 0.1}}, {service = 'Mast.Caom.Cone', params = {ra = 10.7, dec = 41.3, radius = 0.1}}})\nfor _, r in ipairs(out) do print(mast.is_error(r) and r.code or r:count()) end",
    sig = "mast.query_many(requests [, opts]) -> list",
    summary = "Runs independent requests concurrently; answers (or error objects) in order.",
    text = "Runs independent queries concurrently (opts.concurrency at once, default the concurrency setting) and returns their answers in order; a query that failed has its error object in its slot (test with mast.is_error).",
  },
  ["mast.resolve"] = {
    options = {
      { name = "resolver", type = "string | {names}", default = "every resolver", text = "Ask only these resolvers ('SIMBAD', 'NED', ...)." },
      { name = "all", type = "boolean", default = "false", text = "Every resolver's answer: a list of entries per name." },
      { name = "deadline", type = "number (seconds)", default = "the deadline setting", group = "run", text = "Seconds the whole call may take." },
      { name = "progress", type = "boolean", default = "on a terminal", group = "run", text = "Show a waiting line on the terminal (false: nothing)." },
    },
    sig = "mast.resolve(name_or_names [, opts]) -> entry, or {[name] = entry} for a list",
    summary = "Resolves object names to positions through MAST's name resolver (SANTA).",
    text = "MAST's name resolver (SANTA, the `resolver_url` setting): an entry is {ra, dec (degrees), name (canonical), resolver, object_type, ...MAST's own fields (searchString, decl, ...)}. opts: resolver (\"SIMBAD\" | \"NED\" | ..., or a list: ask only those), all = true (every resolver's answer: a list of entries per name), deadline, progress. Names are sent 30 a request, concurrently. A name nobody resolves is an error (code \"mast\") naming every such name; nothing is half-answered.",
    returns = "a list of entries {ra, dec, name, resolver, object_type}",
    example = "local e = mast.resolve('M101')\nprint(e.ra, e.dec, e.name)",
  },
  ["mast.session_info"] = {
    returns = "info: {anonymous = true} without a token, else MAST's answer about it",
    example = "print(mast.session_info().anonymous)",
    options = {
      { name = "deadline", type = "number (seconds)", default = "the deadline setting", group = "run", text = "Seconds the whole call may take." },
      { name = "progress", type = "boolean", default = "on a terminal", group = "run", text = "Show a waiting line on the terminal (false: nothing)." },
    },
    sig = "mast.session_info([opts]) -> info",
    summary = "What MAST says about the configured token (anonymous = true without one).",
    text = "with none, or with one MAST does not accept).",
  },
  ["mast.set_filters"] = {
    returns = "the filter list MAST takes: {{paramName =, values = {...}}, ...}",
    example = "local f = mast.set_filters{obs_collection = {'HST'}, t_exptime = mast.set_min_max(100, 1000)}\nlocal r = mast.caom.filtered{filters = f}",
    sig = "mast.set_filters(t) -> filter list",
    summary = "A MAST filter list from a plain table, as the MAST Portal's helper makes it.",
    text = "values are sent as given: a list of values, or a range from mast.set_min_max (a single value or a bare {min =, max =} becomes a list of one).",
  },
  ["mast.set_min_max"] = {
    returns = "{{min =, max =}}: a range as a filter's values",
    example = "local f = mast.set_filters{t_exptime = mast.set_min_max(100, 1000)}",
    sig = "mast.set_min_max(min, max) -> {{min =, max =}}",
    summary = "A range criterion for a filter, as the MAST Portal's helper makes it.",
  },
  ["mast.summary"] = {
    returns = "the summary as text",
    example = "print(mast.summary(mast.caom.cone{target = \"M101\", radius = 0.05}, {rows = 3}))",
    options = {
      { name = "columns", type = "{names}", text = "The columns to show." },
      { name = "rows", type = "integer", default = "10", text = "How many rows." },
      { name = "title", type = "string", default = "the result's name", text = "The first line." },
      { name = "width", type = "integer", default = "the terminal's width", text = "The widest a line may be." },
    },
    sig = "mast.summary(result [, opts]) -> text",
    summary = "For a dataset: its row count (and MAST's total when this is one page) and a grid of its first rows.",
    text = "opts.columns: the columns to show, in order (those the result lacks are left out: removenullcolumns may drop them); default all that fit. opts.rows (5): how many rows. opts.title (the service's name). opts.width: the grid's width (default the terminal's, else 120). Anything else (a count, a list, text) is shown as mast.pretty shows values.",
  },
  ["mast.traceback"] = {
    returns = "the traceback of the last error at the prompt (text)",
    example = "print(mast.traceback())",
    sig = "mast.traceback() -> text",
    summary = "The traceback of the REPL's last error (the REPL prints only the message).",
  },
  ["mast.unique_products"] = {
    returns = "a result of the products, each file once",
    example = "local p = mast.caom.products{obsid = {\"2003738726\", \"2003738727\"}}\nprint(mast.unique_products(p):count())",
    sig = "mast.unique_products(products) -> a result without repeated files (by dataURI; the first kept)",
    summary = "The products without repeated files (by dataURI; the first is kept).",
  },
  ["mast.votable"] = {
    returns = "a printable dataset of the first table's rows",
    example = "local text = mast.formats.votable(mast.caom.cone{target = \"M101\", radius = 0.05})\nlocal r = mast.votable(text, \"m101\")\nprint(r:count())",
    sig = "mast.votable(text [, name]) -> a printable dataset of a VOTable's first table",
    summary = "A printable dataset of a VOTable's first table (e.g. of a format = 'votable' query).",
    text = "(with info, status, status_text as core.votable_decode gives them), e.g. the text a format = \"votable\" query returns.",
  },
}
