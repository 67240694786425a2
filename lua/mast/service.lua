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
  all = V.boolean, deadline = V.deadline, progress = V.progress, concurrency = V.posint,
  max_rows = V.posint, max_bytes = V.posint,
}
local RUN_ALL_ONLY = { "concurrency", "max_rows", "max_bytes" }
-- What a count may take: no paging, no other format.
M.COUNT_REQUEST = { timeout = V.positive, cachebreaker = V.cachebreaker, clearcache = V.boolean,
                    removecache = V.boolean }
M.COUNT_RUN = { deadline = V.deadline, progress = V.progress }
M.POSITION = { ra = V.ra, dec = V.dec, target = V.string, radius = V.radius }

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
  local ra, dec, target = args.ra, args.dec, args.target
  if target ~= nil and (ra ~= nil or dec ~= nil) then
    usage(fn, "give either a target name or ra and dec, not both")
  end
  if target ~= nil then
    ra, dec = require("mast.resolver").resolve_for(fn, target,
      { deadline = args.deadline, progress = args.progress })
  elseif ra == nil or dec == nil then
    usage(fn, ("needs a position: ra and dec in degrees, or target = 'M101' (got %s)")
      :format(ra == nil and dec == nil and "neither" or (ra == nil and "no ra" or "no dec")))
  end
  local radius = args.radius
  if radius == nil then radius = default_radius end
  return ra, dec, radius
end

--- The current UTC time as the page's cachebreaker ("%Y-%m-%d %H:%M:%S").
function M.cachebreaker()
  return os.date("!%Y-%m-%d %H:%M:%S")
end

--- Runs a request: one page with mast.query, or every page (args.all) with mast.query_all.
function M.run(fn, request, args)
  if args.all then
    if args.page ~= nil then usage(fn, "all = true fetches every page: leave out page") end
    return require("mast.paging").query_all(request, {
      deadline = args.deadline, progress = args.progress, concurrency = args.concurrency,
      max_rows = args.max_rows, max_bytes = args.max_bytes,
    })
  end
  for _, k in ipairs(RUN_ALL_ONLY) do
    if args[k] ~= nil then usage(fn, ("option '%s' applies only with all = true"):format(k)) end
  end
  return require("mast.query").query(request, { deadline = args.deadline, progress = args.progress })
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

--- Makes a wrapper function from a declaration:
--   name       "mast.caom.cone" (for messages)
--   service    the MAST service name, or function(args) -> name
--   example    an example argument for messages
--   position   default radius: takes ra/dec or target, and radius (params ra, dec, radius)
--   position_string  send the position as params.position = "ra, dec, radius"
--   filters    "required" | "optional": the `filters` option (plain table or MAST list)
--   columns    default columns (e.g. "*"): the `columns` option; or
--   count      true: columns = "COUNT_BIG(*)" (unless count_columns = false) and an integer back
--   options    {opt = {check = validator, param = "wireName" | false, default = v, convert = f,
--                      required = true, hint = "what to give"}}
--   no_params  send no params at all (Mast.HscSpectra.Db.All)
--   crossmatch default radius: data + ra_column/dec_column (mast.crossmatch)
--   result     function(fn, answer, args) -> what to hand back
--   request_options / run_options: the option groups (defaults M.REQUEST / M.RUN)
function M.define(spec)
  local fn = spec.name
  local known = {}
  local count = spec.count
  copy_into(known, spec.request_options or (count and M.COUNT_REQUEST or M.REQUEST))
  copy_into(known, spec.run_options or (count and M.COUNT_RUN or M.RUN))
  if spec.position then copy_into(known, M.POSITION) end
  if spec.filters then known.filters = V.table end
  if spec.columns then known.columns = V.columns end
  if spec.crossmatch then
    known.data = V.table
    known.ra_column = V.string
    known.dec_column = V.string
    known.radius = V.radius
  end
  for k, o in pairs(spec.options or {}) do known[k] = o.check end
  if not spec.no_params then known.params = V.table end

  return function(args)
    if args == nil and not spec.position and spec.filters ~= "required" and not spec.crossmatch then
      args = {}
    end
    M.args(fn, args, spec.example)
    M.check(fn, args, known)
    local params = {}
    local function put(k, v, what)
      if params[k] ~= nil then usage(fn, ("the param '%s' is given twice (%s)"):format(k, what)) end
      params[k] = v
    end
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
        put("filters", require("mast.filters").build(fn, args.filters), "filters")
      end
    end
    if count and spec.count_columns ~= false then
      put("columns", "COUNT_BIG(*)", "columns")
    elseif spec.columns then
      local c = args.columns or spec.columns
      if type(c) == "table" then c = table.concat(c, ",") end
      put("columns", c, "columns")
    end
    local request = { service = type(spec.service) == "function" and spec.service(fn, args) or spec.service }
    if spec.crossmatch then
      local data, ra_col, dec_col = require("mast.crossmatch").upload(fn, args)
      request.data = data
      put("raColumn", ra_col, "ra_column")
      put("decColumn", dec_col, "dec_column")
      put("radius", args.radius or spec.crossmatch, "radius")
    end
    if args.params then
      for k, v in pairs(args.params) do
        if type(k) ~= "string" then usage(fn, "params must be a table keyed by param name") end
        put(k, v, "in params")
      end
    end
    -- the position last: a target name is resolved only once everything else is known to be right
    if spec.position then
      local ra, dec, radius = M.position(fn, args, spec.position)
      if spec.position_string then
        put("position", ("%s, %s, %s"):format(M.number_text(ra), M.number_text(dec), M.number_text(radius)),
          "position")
      else
        put("ra", ra, "ra")
        put("dec", dec, "dec")
        put("radius", radius, "radius")
      end
    end
    if not spec.no_params then request.params = core.object(params) end
    for k in pairs(M.REQUEST) do
      if known[k] and args[k] ~= nil then request[k] = args[k] end
    end
    request.format = args.format or "json"
    if args.cachebreaker ~= nil then
      -- the page puts it at the top and in params: MAST's cache key is
      -- {service, params}, so only the copy in params forces a fresh run
      local cb = args.cachebreaker == true and M.cachebreaker() or args.cachebreaker
      request.cachebreaker = cb
      if request.params then put("cachebreaker", cb, "cachebreaker") end
    end
    local answer = M.run(fn, request, args)
    if count then return M.count(fn, answer) end
    if spec.result then return spec.result(fn, answer, args) end
    return answer
  end
end

return M
