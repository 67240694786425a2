--- mast.download, mast.download_many and mast.bundle: files from MAST, never half-written.
-- Every file streams into <dest>.part, is checked against Content-Length and
-- the expected size, flushed to disk, and only then renamed to <dest>. An
-- interrupted download leaves its .part (unless empty), which the next call
-- resumes.
local core = require "mast.core"
local record = require "mast.record"
local progress = require "mast.progress"
local hints = require "mast.hints"

local M = {}

local FILE_PATH = "/api/v0.1/Download/file?uri="
local BUNDLE_PATH = "/api/v0.1/Download/bundle."

local O = require "mast.options"
local usage, V = O.usage, O.validators

--- The URL a mast: URI or an http(s) URL is fetched from.
function M.url_of(src)
  if type(src) ~= "string" or src == "" then return nil end
  if src:match("^[Mm][Aa][Ss][Tt]:") then
    -- as astroquery does: percent-encode the URI but keep ':' and '/'
    return core.config("base_url") .. FILE_PATH .. core.urlencode(src, ":/")
  end
  if src:match("^[Hh][Tt][Tt][Pp][Ss]?://") then return src end
  return nil
end

-- Whose advice a failure to fetch src gets (see mast.hints).
local function family_of(src)
  return src:match("^[Mm][Aa][Ss][Tt]:") and "mast" or "download"
end

-- The last path component of a URI or URL (without a query string).
local function basename(src)
  local path = src:gsub("[?#].*$", "")
  return path:match("([^/]+)/*$") or path
end

-- Resolves dest: a directory (or a path ending in '/') gets the file's own name;
-- under an embedding host's download root, a relative path is taken from the root.
local function dest_for(src, dest)
  dest = core.resolve_path(dest)
  if dest:sub(-1) == "/" or core.stat(dest) == "directory" then
    local name = basename(src)
    local ok, why = core.safe_name(name)
    if not ok then
      error(core.error("usage", ("cannot name a file after %s: %s"):format(src, why)), 3)
    end
    return (dest:gsub("/+$", "")) .. "/" .. name
  end
  return dest
end

-- A progress callback for core.perform that feeds the terminal display and
-- the caller's own function (an error in which aborts the transfer).
local function progress_for(label, opts)
  local show, done
  if opts.progress ~= false then show, done = progress.transfer(label) end
  local user = type(opts.progress) == "function" and opts.progress or nil
  if not show and not user then return nil, function() end end
  return function(p)
    if show then show(p) end
    if user then return user(p) end
  end, done or function() end
end

-- What a cancel left of the files at paths, read from the disk (a cancel may stop Lua
-- code before core.perform's results arrive): a complete file is at its path, a
-- partial one stays as <path>.part, which the same call resumes.
local function cancel_text(paths)
  local complete, kept = 0, 0
  for _, p in ipairs(paths) do
    if core.stat(p) == "file" then complete = complete + 1
    elseif core.stat(p .. ".part") == "file" then kept = kept + 1 end
  end
  if #paths == 1 then
    if complete == 1 then return "cancelled after " .. paths[1] .. " was complete" end
    if kept == 1 then
      local _, size = core.stat(paths[1] .. ".part")
      return ("cancelled: %s.part kept (%s) to resume"):format(paths[1], progress.human(size))
    end
    return "cancelled before any of " .. paths[1] .. " arrived"
  end
  local text = ("cancelled: %d of %d files complete"):format(complete, #paths)
  if kept > 0 then text = text .. (", %d kept as .part to resume"):format(kept) end
  local none = #paths - complete - kept
  if none > 0 then text = text .. (", %d with nothing downloaded"):format(none) end
  return text
end

-- Raises a cancel of the transfers to paths (results: core.perform's, when they
-- arrived) as one "cancelled" error saying what it left; fields go into the error.
local function raise_if_cancelled(fn, paths, ok, results, fields)
  local err
  if not ok then
    err = results
  else
    for _, r in ipairs(results) do
      if r.error and r.error.code == "cancelled" then err = r.error break end
    end
  end
  if not core.is_error(err, "cancelled") then return end
  local e = core.error("cancelled", cancel_text(paths), fields)
  e.left, e.fn = e.message, fn
  error(e, 0)
end

local DOWNLOAD_OPTS = { size = V.size, overwrite = V.boolean, resume = V.boolean, progress = V.callback,
                        deadline = V.deadline }

--- mast.download(uri_or_url, dest [, opts]) -> {path, bytes, status, url, skipped, resumed, seconds}
-- uri_or_url: a mast: URI (fetched through <base>/api/v0.1/Download/file) or an http(s) URL.
-- dest: the file to write, or a directory (the file keeps its own name).
-- opts.size: the expected size in bytes (from the product's `size`): checked, and an
--   existing dest of that size is kept without touching the network.
-- opts.overwrite: download even if dest already has the expected size.
-- opts.resume: false to discard an existing <dest>.part instead of resuming it.
-- opts.progress: false for no display; a function(p) to be told of progress
--   (p.bytes, p.bytes_total, p.rate, p.elapsed); an error in it aborts the download.
-- opts.deadline: seconds the whole download may take, retries included (none by
--   default: a big file may take hours); past it a timeout error, the .part kept
--   for a resume. Bounds a server that drips bytes just above the stall limit.
O.declare("mast.download", DOWNLOAD_OPTS)
function M.download(src, dest, opts)
  local fn = "mast.download"
  opts = O.options(fn, opts, DOWNLOAD_OPTS)
  local url = M.url_of(src)
  if not url then usage(fn, "expected a mast: URI or an http(s) URL, got " .. O.describe(src)) end
  if type(dest) ~= "string" or dest == "" then usage(fn, "dest must be a file or directory path") end
  dest = dest_for(src, dest)
  local cb, done = progress_for(basename(src), opts)
  local ok, results = pcall(record.perform, {
    { url = url, dest = dest, size = opts.size, overwrite = opts.overwrite, resume = opts.resume,
      label = src },
  }, { progress = cb, deadline = opts.deadline })
  done()
  raise_if_cancelled(fn, { dest }, ok, results)
  if not ok then error(results, 2) end
  local r = results[1]
  if not r.ok then error(hints.add(r.error, family_of(src)), 2) end
  return { path = dest, bytes = r.bytes, status = r.status, url = r.url, skipped = r.skipped,
           resumed = r.resumed, seconds = r.seconds }
end

local MANY_OPTS = { concurrency = V.concurrency, overwrite = V.boolean, progress = V.callback, resume = V.boolean,
                    deadline = V.deadline }
local ITEM = { uri = V.string, dest = V.string, size = V.size }

--- mast.download_many(items [, opts]) -> one result per item, in order
-- items: a list of {uri = <mast: URI or URL>, dest = <path>, size = <bytes, optional>}.
-- Runs opts.concurrency transfers at once (default: the concurrency setting)
-- over one multi handle with one progress line. A failure does not stop the
-- others: each result is {ok, uri, path, bytes, status, url, skipped, resumed, error}.
O.declare("mast.download_many", MANY_OPTS)
function M.download_many(items, opts)
  local fn = "mast.download_many"
  opts = O.options(fn, opts, MANY_OPTS)
  if type(items) ~= "table" then usage(fn, "items must be a list of {uri=, dest=}") end
  local specs, paths = {}, {}
  for i, item in ipairs(items) do
    if type(item) ~= "table" then usage(fn, ("item %d must be a table {uri=, dest=}"):format(i)) end
    O.check(("%s: item %d"):format(fn, i), item, ITEM)
    local url = M.url_of(item.uri)
    if not url then usage(fn, ("item %d: expected a mast: URI or an http(s) URL"):format(i)) end
    if item.dest == nil then usage(fn, ("item %d: dest must be a path"):format(i)) end
    paths[i] = dest_for(item.uri, item.dest)
    specs[i] = { url = url, dest = paths[i], size = item.size, overwrite = opts.overwrite,
                 resume = opts.resume, label = item.uri }
  end
  local cb, done = progress_for(("%d files"):format(#specs), opts)
  local ok, results = pcall(record.perform, specs, { concurrency = opts.concurrency, progress = cb,
                                                     deadline = opts.deadline })
  done()
  if not ok then raise_if_cancelled(fn, paths, ok, results) error(results, 2) end
  local out = {}
  for i, r in ipairs(results) do
    if r.error then hints.add(r.error, family_of(items[i].uri)) end
    out[i] = { ok = r.ok, uri = items[i].uri, path = paths[i], bytes = r.bytes, status = r.status,
               url = r.url, skipped = r.skipped, resumed = r.resumed, error = r.error }
  end
  -- a cancel stops the whole batch: raised, not one failure among others (the
  -- per-file results go with it)
  raise_if_cancelled(fn, paths, ok, results, { results = out })
  return out
end

local BUNDLE_FORMATS = { ["tar.gz"] = true, zip = true }
local BUNDLE_OPTS = {
  format = function(v) if not BUNDLE_FORMATS[v] then return "'tar.gz' or 'zip'" end end,
  extract = V.string, progress = V.callback, deadline = V.deadline,
}

--- mast.bundle(uris, dest [, opts]) -> {path, bytes, status, url, files}
-- POSTs the URIs as repeated uri= form fields to <base>/api/v0.1/Download/bundle.<format>
-- and streams the archive to dest with mast.download's guarantees.
-- opts.format: "tar.gz" or "zip" (default: from dest's extension).
-- opts.extract: a directory to unpack the archive into; hostile entries
--   (absolute paths, '..', links leading outside) make it refuse the whole archive.
--   The result's `files` lists {path, size} of what was written.
O.declare("mast.bundle", BUNDLE_OPTS)
function M.bundle(uris, dest, opts)
  local fn = "mast.bundle"
  opts = O.options(fn, opts, BUNDLE_OPTS)
  if type(uris) ~= "table" or #uris == 0 then usage(fn, "uris must be a non-empty list of mast: URIs") end
  if type(dest) ~= "string" or dest == "" then usage(fn, "dest must be a file path") end
  dest = core.resolve_path(dest)
  local format = opts.format
  if format == nil then
    if dest:match("%.tar%.gz$") or dest:match("%.tgz$") then format = "tar.gz"
    elseif dest:match("%.zip$") then format = "zip"
    else usage(fn, ("cannot tell the archive type from '%s': end it in .tar.gz or .zip, or pass opts.format")
      :format(dest)) end
  end
  local fields = {}
  for i, u in ipairs(uris) do
    if type(u) ~= "string" or u == "" then usage(fn, ("uris[%d] must be a string"):format(i)) end
    fields[i] = "uri=" .. core.urlencode(u, "")
  end
  local url = core.config("base_url") .. BUNDLE_PATH .. format
  local cb, done = progress_for(("bundle of %d files"):format(#uris), opts)
  local ok, results = pcall(record.perform, {
    { method = "POST", url = url, body = table.concat(fields, "&"), dest = dest,
      overwrite = true, resume = false, label = ("the bundle of %d files"):format(#uris) },
  }, { progress = cb, deadline = opts.deadline })
  done()
  local e = ok and results[1].error or results
  if core.is_error(e, "cancelled") then
    error(O.cancelled(O.within(fn, e), ("cancelled while downloading the bundle of %d files (%s not written; "
      .. "a bundle starts again)"):format(#uris, dest)), 2)
  end
  if not ok then error(results, 2) end
  local r = results[1]
  if not r.ok then error(hints.add(r.error, "mast"), 2) end
  local out = { path = dest, bytes = r.bytes, status = r.status, url = r.url }
  if opts.extract ~= nil then
    local okx, files = pcall(core.extract, dest, core.resolve_path(opts.extract))
    if not okx then
      -- the archive itself is complete: say so with the cancel
      O.cancelled(files, (core.is_error(files) and files.message or "cancelled") .. " (" .. dest .. " is complete)")
      error(O.within(fn, files), 2)
    end
    out.files = files
  end
  return out
end

return M
