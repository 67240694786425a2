--- mast.service: what the service wrappers share, written once.
-- Checking a wrapper's options (an unknown or misspelt one is an error that
-- suggests the right name), turning a position (ra/dec or a target name) into
-- degrees, building the request, running it (one page or all of them), and
-- reading a COUNT_BIG answer. Each wrapper module declares its services with
-- M.define{...}; nothing here knows a particular service.
local core = require "mast.core"

local M = { _NAME = "mast.service" }

local O = require "mast.options"
M.usage, M.describe, M.number_text, M.suggest, M.check = O.usage, O.describe, O.number_text, O.suggest,
  O.check
M.validators = O.validators
local usage, describe = O.usage, O.describe
local V = O.validators

-- ---------------------------------------------------------------- option groups

-- Keys of the request itself, passed through when the caller gives them.
M.REQUEST = {
  pagesize = V.posint, page = V.posint, removenullcolumns = V.boolean, timeout = V.positive,
  cachebreaker = V.cachebreaker, clearcache = V.boolean, removecache = V.boolean, format = V.format,
}
-- How the query runs here.
M.RUN = {
  all = V.boolean, deadline = V.deadline, progress = V.progress, concurrency = V.concurrency,
  max_rows = V.posint, max_bytes = V.posint, cache = V.cache,
}
local RUN_ALL_ONLY = { "concurrency", "max_rows", "max_bytes" }
-- What a count may take: no paging, no other format.
M.COUNT_REQUEST = { timeout = V.positive, cachebreaker = V.cachebreaker, clearcache = V.boolean,
                    removecache = V.boolean }
M.COUNT_RUN = { deadline = V.deadline, progress = V.progress, cache = V.cache }
M.POSITION = { ra = V.ra, dec = V.dec, target = V.string, radius = V.radius,
                coordinates = function(v)
                  if type(v) ~= "string" and type(v) ~= "table" then
                    return "a string such as '14:03:12.6 +54:20:56' or {ra, dec}"
                  end
                end }

--- Checks the argument of a wrapper: a table of named options.
function M.args(fn, args, example)
  if type(args) ~= "table" then
    usage(fn, ("expected a table of options such as %s, got %s"):format(example or "{...}", describe(args)))
  end
  if type(args._NAME) == "string" then
    usage(fn, ("called with a colon: write %s{...} (a dot), not %s{...}")
      :format(fn, fn:gsub("%.([%w_]+)$", ":%1")))
  end
  if args[1] ~= nil then
    usage(fn, ("options must be named, e.g. %s; got a list item %s"):format(example or "{...}", describe(args[1])))
  end
  return args
end

--- ra, dec, radius (degrees) from {ra =, dec =} or {target = "M101"}, and radius.
function M.position(fn, args, default_radius)
  local coords = require "mast.coords"
  local ra, dec = coords.resolve(fn, args, { deadline = args.deadline, progress = args.progress })
  if ra == nil or dec == nil then
    usage(fn, ("needs a position: ra and dec in degrees, or target = 'M101' (got %s)")
      :format(args.ra == nil and args.dec == nil and "neither" or (args.ra == nil and "no ra" or "no dec")))
  end
  local radius = args.radius
  if radius == nil then radius = default_radius end
  if radius ~= nil then radius = coords.radius(fn, radius) end
  return ra, dec, radius
end

--- The current UTC time as the page's cachebreaker ("%Y-%m-%d %H:%M:%S").
function M.cachebreaker()
  return os.date("!%Y-%m-%d %H:%M:%S")
end

--- Runs a wrapper's request through its protocol: one page, or every page (args.all).
function M.run(fn, request, args, protocol)
  protocol = protocol or require("mast.protocol.invoke")
  local transport = require "mast.transport"
  if args.all then
    if args.page ~= nil then usage(fn, "all = true fetches every page: leave out page") end
    return transport.all(protocol, request, {
      deadline = args.deadline, progress = args.progress, concurrency = args.concurrency,
      max_rows = args.max_rows, max_bytes = args.max_bytes, cache = args.cache,
    })
  end
  for _, k in ipairs(RUN_ALL_ONLY) do
    if args[k] ~= nil then usage(fn, ("option '%s' applies only with all = true"):format(k)) end
  end
  return transport.one(protocol, request, { deadline = args.deadline, progress = args.progress,
                                            cache = args.cache })
end

--- The integer a COUNT_BIG(*) (or *.Count) answer holds: Column1 of its one row,
-- a number or a string of digits (MAST declares it "string" and sends a number).
function M.count(fn, answer)
  local row = type(answer) == "table" and type(answer.data) == "table" and answer.data[1] or nil
  local v
  if type(row) == "table" then
    v = row.Column1
    if v == nil then   -- one column under another name
      local k, x = next(row)
      if k ~= nil and next(row, k) == nil then v = x end
    end
  end
  if math.type(v) == "integer" then return v end
  if math.type(v) == "float" and v == math.floor(v) and math.tointeger(v) then return math.tointeger(v) end
  if type(v) == "string" and v:match("^%s*%d+%s*$") then
    local n = math.tointeger(tonumber(v))
    if n then return n end
  end
  error(core.error("mast", ("expected a count (Column1) in the answer, got %s")
    :format(row == nil and "no rows" or describe(v)), { fn = fn }))
end

-- ---------------------------------------------------------------- wrappers

local function copy_into(dst, src)
  for k, v in pairs(src or {}) do dst[k] = v end
  return dst
end
M.copy_into = copy_into

-- The options a wrapper takes: the protocol's groups for it, then what the declaration adds.
local function known_options(spec, protocol)
  local known = protocol.wrapper.options(spec)
  if spec.position then copy_into(known, M.POSITION) end
  if spec.filters then known.filters = V.table end
  if spec.columns then known.columns = V.columns end
  for k, o in pairs(spec.options or {}) do known[k] = o.check end
  return known
end

-- A params table and put(k, v, what), which refuses a param given twice.
local function param_set(fn)
  local params = {}
  return params, function(k, v, what)
    if params[k] ~= nil then usage(fn, ("the param '%s' is given twice (%s)"):format(k, what)) end
    params[k] = v
  end
end

-- The params of a call, in a fixed order (it decides which "given twice" is
-- reported): the declared options, filters, columns, the protocol's own
-- (counts, uploads), raw params, and the position last, so that a target
-- name is resolved only once everything else is known to be right. Returns
-- params and the request fields the protocol added.
local function collect_params(spec, args, protocol)
  local fn = spec.name
  local params, put = param_set(fn)
  for k, o in pairs(spec.options or {}) do
    local v = args[k]
    if v == nil then v = o.default end
    if v == nil and o.required then
      usage(fn, ("needs %s%s"):format(k, o.hint and (" (" .. o.hint .. ")") or ""))
    end
    if v ~= nil and o.param ~= false then
      if o.convert then v = o.convert(fn, v) end
      put(o.param or k, v, k)
    end
  end
  if spec.filters then
    if args.filters == nil then
      if spec.filters == "required" then
        usage(fn, "needs filters, e.g. filters = {Teff = {4250, 4500}} (without them it would search "
          .. "the whole catalog; use mast.set_filters or a plain table)")
      end
      put("filters", core.array({}), "filters")
    else
      local columns   -- the service's column configuration, fetched only if a plain criterion needs it
      if spec.columns_config then
        columns = function()
          return require("mast.columns").config(fn, spec.columns_config, { deadline = args.deadline }),
            spec.columns_config
        end
      end
      put("filters", require("mast.filters").build(fn, args.filters, columns), "filters")
    end
  end
  if spec.columns and not spec.count then
    local c = args.columns or spec.columns
    if type(c) == "table" then c = table.concat(c, ",") end
    put("columns", c, "columns")
  end
  local extra = protocol.wrapper.params(spec, args, put)
  if args.params then
    for k, v in pairs(args.params) do
      if type(k) ~= "string" then usage(fn, "params must be a table keyed by param name") end
      put(k, v, "in params")
    end
  end
  if spec.position then
    local ra, dec, radius = M.position(fn, args, spec.position)
    protocol.wrapper.position(spec, put, ra, dec, radius)
  end
  return params, put, extra
end

-- The wrapper's argument, checked against the options it knows.
local function arguments(spec, args, known)
  if args == nil and not spec.position and spec.filters ~= "required" and not spec.crossmatch then
    args = {}
  end
  M.args(spec.name, args, spec.example)
  return M.check(spec.name, args, known)
end

--- wrapper function -> {spec =, known = name -> validator}: what each wrapper
-- takes, so that help and completion read the same declaration the check uses.
M.declared = setmetatable({}, { __mode = "k" })

--- Makes a wrapper function from a declaration:
--   name       "mast.caom.cone" (for messages)
--   service    the MAST service name, or function(fn, args) -> name
--   protocol   what carries it (default mast.protocol.invoke); its `wrapper`
--              table interprets the declaration's protocol data below
--   example    an example argument for messages
--   position   default radius: takes ra/dec or target, and radius
--   filters    "required" | "optional": the `filters` option (plain table or MAST list)
--   columns_config  the colConfigId whose columns plain criteria are checked and encoded by
--   columns    default columns (e.g. "*"): the `columns` option
--   options    {opt = {check = validator, param = "wireName" | false, default = v, convert = f,
--                      required = true, hint = "what to give"}}
--   result     function(fn, answer, args) -> what to hand back
-- and data the protocol interprets (for invoke: count, count_columns,
-- position_string, no_params, crossmatch, request_options, run_options;
-- see mast.protocol.invoke's wrapper).
function M.define(spec)
  local protocol = spec.protocol or require("mast.protocol.invoke")
  local known = known_options(spec, protocol)
  local wrapper = function(args)
    args = arguments(spec, args, known)
    local params, put, extra = collect_params(spec, args, protocol)
    local request = protocol.wrapper.request(spec, args, params, put, extra)
    return protocol.wrapper.answer(spec, M.run(spec.name, request, args, protocol), args)
  end
  M.declared[wrapper] = { spec = spec, known = known }
  return wrapper
end

return M
