--- Data products: list them for observations, filter them, download them.
local core = require "mast.core"
local query = require "mast.query"
local result = require "mast.result"
local download = require "mast.download"

local M = {}

local BATCH = 500   -- obsids per Mast.Caom.Products request, as astroquery sends
local MRP = "Minimum Recommended Products"

local O = require "mast.options"
local usage, V = O.usage, O.validators

-- The rows of a result, or of a plain list of rows.
local function rows_of(fn, products)
  if type(products) ~= "table" then
    usage(fn, "expected a products result or a list of product rows, got " .. O.describe(products))
  end
  if type(products.data) == "table" then return products.data end
  return products
end

-- Joins answers (datasets) into the first: rows in order, fields united.
local function join(answers)
  local first = answers[1]
  local seen = {}
  for _, f in ipairs(first.fields) do seen[f.name] = true end
  for i = 2, #answers do
    local a = answers[i]
    table.move(a.data, 1, #a.data, #first.data + 1, first.data)
    for _, f in ipairs(a.fields or {}) do
      if not seen[f.name] then
        seen[f.name] = true
        first.fields[#first.fields + 1] = f
      end
    end
  end
  local n = #first.data
  first.paging = { page = 1, pageSize = n, pagesFiltered = 1, rows = n, rowsFiltered = n, rowsTotal = n }
  return first
end

local PRODUCTS_OPTS = { deadline = V.deadline, progress = V.progress, concurrency = V.concurrency }

-- The obsids of x: an obsid, an observations result, one row, or a list mixing them (in
-- order, each once).
local function obsids_of(fn, x)
  local ids, seen = {}, {}
  local function add(id, where)
    if V.integer_or_digits(id) then
      usage(fn, ("%s must be an integer or a string of digits (the `obsid` column, not obs_id), got %s")
        :format(where, O.describe(id)))
    end
    id = tostring(id)
    if not seen[id] then seen[id] = true ids[#ids + 1] = id end
  end
  local function walk(v, where)
    if type(v) == "table" and type(v.data) == "table" then
      for i, row in ipairs(v.data) do add(type(row) == "table" and row.obsid, ("row %d's obsid"):format(i)) end
    elseif type(v) == "table" and v.obsid ~= nil then
      add(v.obsid, where .. "'s obsid")
    elseif type(v) == "table" then
      for i, item in ipairs(v) do walk(item, (type(item) == "table" and "item %d" or "obsid %d"):format(i)) end
    else
      add(v, where)
    end
  end
  walk(x, "obsid")
  return ids
end

--- mast.products(x [, opts]) -> one result with the products of every observation
-- x: an obsid (integer or string; the `obsid` column of a CAOM search, not obs_id), an
-- observations result, one of its rows, or a list mixing them. Each obsid is asked once,
-- in Mast.Caom.Products requests of at most 500 comma-joined ids, run concurrently,
-- joined in order.
O.declare("mast.products", PRODUCTS_OPTS)
function M.products(obsids, opts)
  local fn = "mast.products"
  opts = O.options(fn, opts, PRODUCTS_OPTS)
  local ids = obsids_of(fn, obsids)
  if #ids == 0 then usage(fn, "no obsids given") end
  local requests = {}
  for i = 1, #ids, BATCH do
    local chunk = table.concat(ids, ",", i, math.min(i + BATCH - 1, #ids))
    local obsid = chunk
    if not chunk:find(",", 1, true) then obsid = math.tointeger(tonumber(chunk)) or chunk end
    requests[#requests + 1] = { service = "Mast.Caom.Products", format = "json",
                                params = { obsid = obsid } }
  end
  if #requests == 1 then return query.query(requests[1], opts) end
  local answers = query.query_many(requests, opts)
  for i, a in ipairs(answers) do
    if core.is_error(a) then
      a.message = ("batch %d of %d: %s"):format(i, #answers, a.message)
      error(a, 2)
    end
  end
  return join(answers)
end

-- ---------------------------------------------------------------- filtering products

local SPECIAL = { extension = true, mrp_only = true }

local function extension_of(name)
  if type(name) ~= "string" then return nil end
  -- "x.fits.gz" has extension "fits.gz" as well as "gz"
  return name:match("^[^.]*%.(.+)$")
end

local function glob_pattern(text)
  return "^" .. text:lower():gsub("[%^%$%(%)%%%.%[%]%+%-%?]", "%%%0"):gsub("%*", ".*") .. "$"
end

-- One wanted value as a test of a cell: "!x" (not x), ">=2" "<3" ">" "<", "1..3" (a range),
-- "*" wildcards, else equality (case-insensitive for text; numerically for numbers).
local function test_of(fn, col, want)
  if type(want) == "number" then
    return function(v) return v == want or (type(v) == "string" and tonumber(v) == want) end
  end
  if type(want) ~= "string" then
    usage(fn, ("criterion %s: %s is not a value (a string, a number, or a list of them)"):format(col, O.describe(want)))
  end
  local op, rest = want:match("^%s*([<>]=?)%s*(.-)%s*$")
  if op then
    local x = tonumber(rest)
    if not x then usage(fn, ("criterion %s: '%s' needs a number after %s"):format(col, want, op)) end
    return function(v)
      v = tonumber(v)
      if not v then return false end
      if op == ">" then return v > x elseif op == ">=" then return v >= x elseif op == "<" then return v < x end
      return v <= x
    end
  end
  local lo, hi = want:match("^%s*([-+]?[%d.eE+-]+)%s*%.%.%s*([-+]?[%d.eE+-]+)%s*$")
  if lo and tonumber(lo) and tonumber(hi) then
    lo, hi = tonumber(lo), tonumber(hi)
    return function(v) v = tonumber(v) return v ~= nil and v >= lo and v <= hi end
  end
  if want:find("*", 1, true) then
    local pat = glob_pattern(want)
    return function(v) return v ~= nil and v ~= core.null and tostring(v):lower():match(pat) ~= nil end
  end
  local low = want:lower()
  local num = tonumber(want)
  return function(v)
    if type(v) == "number" then return num ~= nil and v == num end
    return type(v) == "string" and v:lower() == low
  end
end

-- A criterion as one predicate of a row: positives any-of, negations ("!x") none-of.
local function criterion(fn, col, spec)
  if type(spec) == "function" then
    return function(row) return spec(row[col], row) and true or false end
  end
  local list = type(spec) == "table" and spec or { spec }
  if #list == 0 then usage(fn, ("criterion %s is an empty list"):format(col)) end
  if col == "extension" then   -- ".fits" means "fits"
    local bare = {}
    for i, w in ipairs(list) do bare[i] = type(w) == "string" and w:gsub("^(!?)%.", "%1") or w end
    list = bare
  end
  local pos, neg = {}, {}
  for _, w in ipairs(list) do
    if type(w) == "string" and w:sub(1, 1) == "!" then neg[#neg + 1] = test_of(fn, col, w:sub(2))
    else pos[#pos + 1] = test_of(fn, col, w) end
  end
  local value = function(row) return row[col] end
  if col == "extension" then
    value = function(row) return extension_of(row.productFilename) end
    -- an extension matches its own tail too: "fits.gz" is also "gz"
    local function tails(t) return function(v)
      v = type(v) == "string" and v:lower() or nil
      while v do
        if t(v) then return true end
        v = v:match("^[^.]*%.(.+)$")
      end
      return false
    end end
    for i, t in ipairs(pos) do pos[i] = tails(t) end
    for i, t in ipairs(neg) do neg[i] = tails(t) end
  end
  return function(row)
    local v = value(row)
    for _, t in ipairs(neg) do if t(v) then return false end end
    if #pos == 0 then return true end
    for _, t in ipairs(pos) do if t(v) then return true end end
    return false
  end
end

-- The product columns a criterion may name: the result's fields, else the rows' keys.
local function columns_of(products, rows)
  local names, seen = {}, {}
  local function add(n)
    if type(n) == "string" and not seen[n] then seen[n] = true names[#names + 1] = n end
  end
  if type(products.fields) == "table" then
    for _, f in ipairs(products.fields) do add(f.name) end
  end
  for i = 1, math.min(#rows, 50) do
    for k in pairs(rows[i]) do add(k) end
  end
  return names, seen
end

--- matcher(fn, criteria, names [, strict, what, have]) -> predicate(row): the criteria as
-- filter_products takes them (below), for rows with columns `names` (matched
-- case-insensitively). strict: an unknown column is a usage error naming the
-- nearest known one ("unknown <what> 'x' (did you mean 'y'?); <have> a, b").
-- mast.ops.where uses it too: one criteria matcher for every dataset.
function M.matcher(fn, criteria, names, strict, what, have)
  if criteria == nil then criteria = {} end
  if type(criteria) ~= "table" then usage(fn, "criteria must be a table {column = value, ...}") end
  local known, lower = {}, {}
  for _, n in ipairs(names) do known[n] = true lower[n:lower()] = n end
  local tests = {}
  local keys = {}
  for k in pairs(criteria) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(keys) do
    local v = criteria[k]
    if type(k) ~= "string" then usage(fn, "criteria must be a table keyed by column name") end
    if k == "mrp_only" then
      if type(v) ~= "boolean" then usage(fn, "mrp_only must be true or false") end
      if v then tests[#tests + 1] = function(row) return row.productGroupDescription == MRP end end
    elseif SPECIAL[k] then
      tests[#tests + 1] = criterion(fn, k, v)
    else
      local col = known[k] and k or lower[k:lower()]
      if not col and strict then
        local hint = O.suggest(k:lower(), names)
        usage(fn, ("unknown %s '%s'%s; %s %s"):format(what or "column", k,
          hint and (" (did you mean '" .. hint .. "'?)") or "", have or "the columns are",
          table.concat(names, ", ")))
      end
      tests[#tests + 1] = criterion(fn, col or k, v)
    end
  end
  return function(row)
    for _, t in ipairs(tests) do
      if not t(row) then return false end
    end
    return true
  end
end

--- mast.filter_products(products, criteria) -> a result with the matching products
-- criteria: {column = spec, ...} on any product column (all must match), plus
--   extension ("fits", ".fits", "fits.gz", ...: the file name's) and mrp_only = true (only
--   the Minimum Recommended Products). A spec is a value, a list (any of them), or a
--   function(value, row). Text matches case-insensitively; "!x" excludes x; ">=2", "<3",
--   "1..3" compare numbers; "*" is a wildcard. Column names are checked (case-insensitively)
--   against the products' columns. Rows with a dataURI seen before are dropped.
function M.filter_products(products, criteria)
  local fn = "mast.filter_products"
  local rows = rows_of(fn, products)
  local names = columns_of(products, rows)
  local match = M.matcher(fn, criteria, names, #rows > 0, "product column", "the products have")
  local out, seen = {}, {}
  for _, row in ipairs(rows) do
    local keep = match(row)
    local uri = row.dataURI
    if keep and uri ~= nil and uri ~= core.null then
      if seen[uri] then keep = false else seen[uri] = true end
    end
    if keep then out[#out + 1] = row end
  end
  local res = { status = "COMPLETE", msg = "", data = out,
                fields = type(products.fields) == "table" and products.fields or {},
                paging = { page = 1, pageSize = #out, pagesFiltered = 1, rows = #out,
                           rowsFiltered = #out, rowsTotal = #out } }
  return result.wrap(res, "filtered products")
end

--- mast.unique_products(products) -> a result without repeated files (by dataURI; the first kept)
function M.unique_products(products)
  return M.filter_products(products, {})
end

local DOWNLOAD_OPTS = { flat = V.boolean, concurrency = V.concurrency, overwrite = V.boolean,
                        progress = V.callback, manifest = V.string, shard = V.shard,
                        script = V.string, strict = V.boolean,
                        source = function(v)
                          if v ~= "mast" and v ~= "cloud" and v ~= "auto" then return "'mast', 'cloud' or 'auto'" end
                        end }

local function field(row, k)
  local v = row[k]
  if v == nil or v == core.null then return nil end
  return tostring(v)
end

--- download_planned(rows, dir, opts, plan) -> manifest
-- The one download loop behind mast.download_products and
-- mast.missions.download_products. plan(row) gives what a row is:
--   uri     what the manifest names (a mast: URI, or a mission's product uri)
--   source  what mast.download_many fetches (a URI or an http(s) URL), nil if none
--   parts   {{key, value}, ...}: the path below dir, one safe name each
--   why     (optional) why there is no source, for the manifest
-- A part that is missing or unsafe ('', '.', '..', '/', NUL), a row without a
-- source, or two rows with the same path fail that row alone; every other row
-- is fetched concurrently. opts: concurrency, overwrite, progress, manifest
-- (a path: also written there as CSV). fn: the caller's name, for a cancel's error.
function M.download_planned(rows, dir, opts, plan, fn)
  dir = dir:gsub("/+$", "")
  if dir == "" then dir = "/" end
  local manifest, items, index = {}, {}, {}
  local taken = {}
  for i, row in ipairs(rows) do
    local uri, source, parts, no_source = plan(row)
    local entry = { uri = uri, url = source and download.url_of(source) or nil }
    manifest[i] = entry
    local names, bad = { dir }, nil
    for _, kv in ipairs(parts) do
      local k, v = kv[1], kv[2]
      local ok, why = false, "it is missing"
      if v then ok, why = core.safe_name(v) end
      if not ok then
        bad = ("refused %s %s: %s"):format(k, v and ("'" .. v:gsub("%z", "\\0") .. "'") or "", why)
        break
      end
      names[#names + 1] = v
    end
    if not source or not entry.url then
      entry.status, entry.message = "ERROR", no_source or "no usable download URI"
    elseif bad then
      entry.status, entry.message = "ERROR", bad
    else
      local path = table.concat(names, "/")
      entry.local_path = path
      if taken[path] then
        entry.status, entry.message = "ERROR", "another product has the same local path"
      else
        taken[path] = true
        local size = row.size
        if math.type(size) ~= "integer" or size < 0 then size = nil end
        items[#items + 1] = { uri = source, dest = path, size = size }
        index[#items] = i
      end
    end
  end
  if opts.script then
    M.write_script(items, opts.script)
    for j in ipairs(items) do
      local entry = manifest[index[j]]
      entry.status, entry.message = "SCRIPTED", "in " .. opts.script
    end
    return manifest
  end
  local ok, results = true, {}
  if #items > 0 then
    ok, results = pcall(download.download_many, items, {
      concurrency = opts.concurrency, overwrite = opts.overwrite, progress = opts.progress,
    })
  end
  if not ok then
    -- a cancel names the function the caller called ("3 of 10 files complete, ...")
    if core.is_error(results, "cancelled") and fn then results.fn = fn end
    error(results, 0)
  end
  for j, r in ipairs(results) do
    local entry = manifest[index[j]]
    entry.bytes = r.bytes
    entry.resumed = r.resumed or nil
    entry.url = r.url or entry.url
    if r.ok then
      entry.status = r.skipped and "SKIPPED" or "COMPLETE"
      entry.message = r.skipped and "already present with the expected size" or ""
    else
      entry.status, entry.message, entry.error = "ERROR", tostring(r.error), r.error
    end
  end
  if opts.manifest then M.write_manifest(manifest, opts.manifest) end
  return manifest
end

local function sh_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

--- write_script(items, path): a POSIX shell script of curl commands fetching items
-- ({uri = <mast: URI or URL>, dest}) as mast would: each file to <dest>.part, renamed when
-- curl finished it. The token is read from $MAST_API_TOKEN when the script runs, and sent
-- only to MAST's base URL; it is never written into the file.
function M.write_script(items, path)
  local base = core.config("base_url")
  local lines = { "#!/bin/sh",
                  "# written by mast " .. core._VERSION .. ": the token, if any, comes from $MAST_API_TOKEN",
                  "set -eu", "fail=0" }
  for _, item in ipairs(items) do
    local url = download.url_of(item.uri)
    local dir = item.dest:match("^(.*)/[^/]*$")
    local auth = url:sub(1, #base + 1) == base .. "/"
      and ' ${MAST_API_TOKEN:+-H "Authorization: token $MAST_API_TOKEN"}' or ""
    if dir and dir ~= "" then lines[#lines + 1] = "mkdir -p " .. sh_quote(dir) end
    lines[#lines + 1] = ("curl --fail --location --silent --show-error%s -o %s %s && mv -f %s %s"
      .. " || fail=$((fail + 1))"):format(auth, sh_quote(item.dest .. ".part"), sh_quote(url),
        sh_quote(item.dest .. ".part"), sh_quote(item.dest))
  end
  lines[#lines + 1] = 'if [ "$fail" -gt 0 ]; then echo "$fail of ' .. #items .. ' downloads failed" >&2; exit 1; fi'
  local out <close> = core.open_output(path)
  out:write(table.concat(lines, "\n") .. "\n")
  return out:commit()
end

--- mast.download_products(products, dir [, opts]) -> manifest
-- Downloads every product (a products result or a list of rows) concurrently to
-- <dir>/mastDownload/<obs_collection>/<obs_id>/<productFilename> (opts.flat:
-- <dir>/<productFilename>), checking each file against its `size`. Names come
-- from the server: one that is empty, '.', '..', or holds '/' or NUL is refused
-- and that product fails; nothing is written outside dir.
-- Returns the manifest, one entry per product in order:
--   {local_path, status = "COMPLETE" | "SKIPPED" | "ERROR", message, url, uri, bytes}
-- opts.manifest = <path>: also write it there as CSV. opts.concurrency,
-- opts.overwrite, opts.progress: as mast.download_many. opts.source: "mast" (the
-- default), "cloud" (public files from MAST's S3 bucket over HTTPS, anonymous; the others
-- fail with the reason) or "auto" (the bucket where it has the file, MAST otherwise);
-- exclusive-access products always come from MAST. Each entry says its source.
-- products may also be observations (their products are listed first), and any other key of
-- opts is a criterion as mast.filter_products takes it (productType = "SCIENCE", mrp_only =
-- true). opts.script = <path>: write a curl script there instead of downloading (entries
-- SCRIPTED). opts.shard = true (or {index =, count =}): only this task's share (mast.shard),
-- its manifest to <manifest or dir/manifest>.shard-I-of-N.json for mast.shard.merge.
-- A failed product is an ERROR entry, and a line on the terminal says how many;
-- opts.strict = true raises instead.
O.declare("mast.download_products", DOWNLOAD_OPTS)
function M.download_products(products, dir, opts)
  local fn = "mast.download_products"
  local rows = rows_of(fn, products)
  if type(dir) ~= "string" or dir == "" then usage(fn, "dir must be a directory path") end
  if opts ~= nil and type(opts) ~= "table" then usage(fn, "options must be a table, got " .. O.describe(opts)) end
  -- options of the download, and criteria of the products (any other key)
  local own, criteria = {}, nil
  for k, v in pairs(opts or {}) do
    if DOWNLOAD_OPTS[k] then own[k] = v
    else criteria = criteria or {} criteria[k] = v end
  end
  opts = O.options(fn, own, DOWNLOAD_OPTS)
  -- observations (rows with an obsid and no dataURI): their products first
  local first = rows[1]
  if type(first) == "table" and first.dataURI == nil and first.obsid ~= nil then
    products = M.products(products)
    rows = products.data
  end
  if criteria then
    local ok, filtered = pcall(M.filter_products, products, criteria)
    if not ok then
      if core.is_error(filtered, "usage") then
        local names = {}
        for k in pairs(DOWNLOAD_OPTS) do names[#names + 1] = k end
        table.sort(names)
        filtered.message = filtered.message:gsub("^mast%.filter_products", fn)
          .. "; or an option of the download: " .. table.concat(names, ", ")
      end
      error(filtered, 0)
    end
    rows = filtered.data
  end
  -- a campaign's shard: this task's share of the rows, and a manifest of its own
  local shard_info
  if opts.shard then
    local shard = require "mast.shard"
    local index, count = shard.from_option(opts.shard, fn)
    local total = #rows
    rows, shard_info = shard.shard(rows, { index = index, count = count })
    shard_info.total = total
  end
  local keys = opts.flat and { "productFilename" } or { "mastDownload", "obs_collection", "obs_id", "productFilename" }
  local source = opts.source or "mast"
  local in_cloud = {}
  if source ~= "mast" then
    for i, c in ipairs(require("mast.cloud").uris(rows)) do in_cloud[rows[i]] = c end
  end
  local function plan(from_mast)
    return function(row)
      local uri = field(row, "dataURI")
      local parts = {}
      for j, k in ipairs(keys) do parts[j] = { k, k == "mastDownload" and k or field(row, k) } end
      local c = not from_mast and in_cloud[row] or nil
      if c and c.url then return uri, c.url, parts end
      if c and source == "cloud" then return uri, nil, parts, "not fetched from the cloud: " .. c.reason end
      return uri, uri, parts
    end
  end
  local planned = opts
  if shard_info then   -- the shard's manifest is written below, as JSON
    planned = {}
    for k, v in pairs(opts) do planned[k] = v end
    planned.manifest = nil
  end
  local manifest = M.download_planned(rows, dir, planned, plan(false), fn)
  if opts.script then return manifest end
  for i, e in ipairs(manifest) do
    local c = in_cloud[rows[i]]
    e.source = (c and c.url) and "cloud" or (source == "cloud" and "none" or "mast")
  end
  if source == "auto" then
    -- a file path_lookup placed in the bucket that the bucket does not serve: from MAST instead
    local again, where = {}, {}
    for i, e in ipairs(manifest) do
      if e.source == "cloud" and e.status == "ERROR" then
        again[#again + 1] = rows[i]
        where[#where + 1] = i
      end
    end
    if #again > 0 then
      local second = M.download_planned(again, dir, { concurrency = opts.concurrency, overwrite = opts.overwrite,
                                                      progress = opts.progress }, plan(true), fn)
      for j, e in ipairs(second) do
        e.source = "mast"
        e.cloud_error = manifest[where[j]].message
        manifest[where[j]] = e
      end
      if opts.manifest and not shard_info then M.write_manifest(manifest, opts.manifest) end
    end
  end
  if shard_info then
    require("mast.shard").write_manifest(manifest, opts.manifest or (dir:gsub("/+$", "") .. "/manifest"), shard_info)
  end
  M.report(fn, manifest, opts.strict)
  return manifest
end

--- report(fn, manifest, strict): a failed download is an ERROR entry; besides, one line on
-- the terminal says how many failed, and with strict the first failure is raised.
function M.report(fn, manifest, strict)
  local failed, first = 0, nil
  for _, e in ipairs(manifest) do
    if e.status == "ERROR" then
      failed = failed + 1
      first = first or e
    end
  end
  if failed == 0 then return end
  local line = ("%d of %d products failed (the first: %s%s)"):format(failed, #manifest,
    first.local_path or first.uri or "?", first.message and (": " .. first.message) or "")
  if strict then
    local err = core.is_error(first.error) and first.error or core.error("io", first.message or "failed")
    err.message = fn .. ": " .. line
    err.manifest = manifest
    error(err, 0)
  end
  require("mast.progress").note(fn .. ": " .. line .. "; see the manifest")
end

local MANIFEST_COLUMNS = { "local_path", "status", "message", "url", "uri", "bytes" }

--- Writes a manifest as CSV (via <path>.part, renamed when complete).
function M.write_manifest(manifest, path)
  local fields, data = {}, {}
  for i, name in ipairs(MANIFEST_COLUMNS) do
    fields[i] = { name = name, type = name == "bytes" and "int" or "string" }
  end
  for i, e in ipairs(manifest) do
    local row = {}
    for _, name in ipairs(MANIFEST_COLUMNS) do row[name] = e[name] == nil and core.null or e[name] end
    data[i] = row
  end
  return require("mast").json2csv({ fields = fields, data = data }, { types = false, file = path })
end

return M
