--- mast: script the MAST archive (mast.stsci.edu) from Lua.
-- `local mast = require "mast"` works in the mast program and in stock lua5.4.
local core = require "mast.core"
local query = require "mast.query"
local config = require "mast.config"
local download = require "mast.download"
local products = require "mast.products"

local M = {
  _NAME = "mast",
  _VERSION = core._VERSION,
  --- JSON null, as decoded from MAST responses (equal to cjson.null).
  null = core.null,
  query = query.query,
  query_many = query.query_many,
  query_all = require("mast.paging").query_all,
  config = config.config,
  download = download.download,
  download_many = download.download_many,
  bundle = download.bundle,
  products = products.products,
  filter_products = products.filter_products,
  unique_products = products.unique_products,
  download_products = products.download_products,
  --- Mark a table as a JSON array / object (for empty tables).
  array = core.array,
  object = core.object,
  --- Make or recognise mast error objects.
  error = core.error,
  is_error = core.is_error,
  --- The traceback of the REPL's last error (the REPL prints only its message).
  traceback = function() return require("mast.repl").last_traceback() end,
  --- The exact JSON codec used on the wire.
  json = { encode = core.json_encode, decode = core.json_decode, null = core.null },
}

-- The page's helpers, loaded on first use.
function M.set_filters(t) return require("mast.filters").set_filters(t) end
function M.set_min_max(min, max) return require("mast.filters").set_min_max(min, max) end
function M.cloud_uris(list, opts) return require("mast.cloud").uris(list, opts) end
function M.login(token, opts) return require("mast.auth").login(token, opts) end
function M.session_info(opts) return require("mast.auth").session_info(opts) end
function M.resolve(names, opts) return require("mast.resolver").santa(names, opts) end
function M.json2csv(result, opts) return require("mast.csv").json2csv(result, opts) end
function M.read_csv(source, opts) return require("mast.csv").read_csv(source, opts) end
function M.read(path, opts) return require("mast.formats").read(path, opts) end
function M.write(x, path, opts) return require("mast.formats").write(x, path, opts) end
function M.json2table(result) return require("mast.columnar").json2table(result) end
function M.summary(result, opts) return require("mast.summary").summary(result, opts) end
function M.stack(...) return require("mast.ops").stack(...) end
function M.record(dir) return require("mast.record").record(dir) end
function M.replay(dir) return require("mast.record").replay(dir) end
--- mast.votable(text [, name]) -> a printable dataset of a VOTable's first table
-- (with info, status, status_text as core.votable_decode gives them), e.g. the
-- text a format = "votable" query returns.
function M.votable(text, name)
  local t = core.votable_decode(text, name)
  local r = require("mast.dataset").result(t.data, t.fields, name or "VOTable")
  r.info, r.status_text, r.votable_status = t.info, t.status_text, t.status
  return r
end

-- The service wrappers, grouped by what they search: mast.caom.cone{...}
-- loads mast.caom on first access, so `require "mast"` stays cheap.
local LAZY = { resolver = true, missions = true, caom = true, catalogs = true, hsc = true, vo = true,
               crossmatch = true, jwst = true, hst = true, panstarrs = true, tesscut = true,
               zcut = true, hapcut = true, tap = true, coords = true, time = true,
               observations = true, sky = true, ops = true,
               formats = true, plot = true,
               cache = true, shard = true, fits = true }
-- __lazy: the names help and completion list (the modules, loaded or not).
setmetatable(M, { __lazy = LAZY, __index = function(t, k)
  if LAZY[k] then
    local mod = require("mast." .. k)
    rawset(t, k, mod)
    return mod
  end
  return nil
end })

return M
