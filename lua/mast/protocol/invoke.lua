--- mast.protocol.invoke: the Portal API's /api/v0/invoke, as a protocol for mast.transport.
-- A request is MAST's request object ({service, params, format, pagesize,
-- page, ...}) POSTed as request=<url-encoded JSON>. The answer is the
-- envelope {status, msg, data, fields, paging}: EXECUTING is polled (the
-- identical bytes again), ERROR is a "mast" error with MAST's msg, and a
-- dataset comes back as a mast.Result. Pages are page/pagesize.
local core = require "mast.core"
local result = require "mast.result"
local dataset = require "mast.dataset"
local O = require "mast.options"

local M = { _NAME = "mast.protocol.invoke", name = "invoke", family = "mast",
            backoff = { first = 0.25, max = 4 }, concurrency = 4 }

local INVOKE = "/api/v0/invoke"
local FORM = "application/x-www-form-urlencoded"
local DEFAULT_PAGESIZE = 50000   -- what astroquery asks for; MAST's limit is ~500,000 rows

-- The request keys MAST's MashupRequest understands (and astroquery's
-- camel-case cacheBreaker). Anything else is a misspelling.
local REQUEST_KEYS = {
  service = true, params = true, format = true, pagesize = true, page = true,
  removenullcolumns = true, timeout = true, clearcache = true, removecache = true,
  cachebreaker = true, cacheBreaker = true, data = true, filename = true, filetype = true,
  attachment = true, columnsconfigid = true, columnsconfig = true,
}
local REQUEST_NAMES = {}
for k in pairs(REQUEST_KEYS) do REQUEST_NAMES[#REQUEST_NAMES + 1] = k end
table.sort(REQUEST_NAMES)
local FORMATS = { json = true, csv = true, votable = true, extjs = true }
local DECODED = { json = true, extjs = true }   -- formats that arrive decoded

--- Checks a request table; a usage error names fn (and `fields`, e.g. the item).
function M.check(fn, request, fields)
  local function usage(msg) O.usage(fn, msg, fields) end
  if type(request) ~= "table" then
    usage(("the request must be a table such as {service = 'Mast.Caom.Cone', params = {...}}, got %s")
      :format(O.describe(request)))
  end
  local service = request.service
  if service == nil then
    usage("the request has no service (e.g. service = 'Mast.Caom.Cone')")
  elseif type(service) ~= "string" or service == "" then
    usage("request.service must be a non-empty string, got " .. O.describe(service))
  end
  for k in pairs(request) do
    if type(k) ~= "string" or not REQUEST_KEYS[k] then
      local hint = O.suggest(k, REQUEST_NAMES)
      usage(("unknown request key '%s'%s"):format(tostring(k),
        hint and (" (did you mean '" .. hint .. "'?)") or ""))
    end
  end
  if request.params ~= nil and type(request.params) ~= "table" then
    usage("request.params must be a table, got " .. O.describe(request.params))
  end
  if request.format ~= nil and not FORMATS[request.format] then
    usage(("request.format must be json, csv, votable or extjs, got %s"):format(O.describe(request.format)))
  end
end

-- The JSON of a request: the one call of the encoder, so its options live here.
-- MAST's schema: an empty params.filters, a filter's values, an upload's
-- fields and data are arrays (request policy, not the codec's).
local ARRAYS = { empty_array_keys = { "values", "filters", "fields", "data" }, empty_array_depth = 2 }
local function json_of(req)
  return core.json_encode(req, "request", ARRAYS)
end

--- The form body bytes of a (checked) request, format json unless it says.
function M.body(request)
  local req = {}
  for k, v in pairs(request) do req[k] = v end
  if req.format == nil then req.format = "json" end
  return "request=" .. core.urlencode(json_of(req))
end

--- build(request) -> a transport item: one encoding, so every poll sends identical bytes.
function M.build(request)
  local format = request.format or "json"
  return {
    spec = { method = "POST", url = core.config("base_url") .. INVOKE, body = M.body(request),
             content_type = FORM, label = request.service, decode = DECODED[format] and "json" or nil },
    label = request.service, context = { service = request.service },
    service = request.service, format = format,
  }
end

--- What one answer means (see mast.transport). A json or extjs answer arrives
-- already decoded (r.value), straight from the transfer's buffer; csv and
-- votable arrive as text (r.body), unless MAST answered with its envelope.
function M.interpret(item, r)
  local answer
  if r.json_error then return "error", r.json_error end
  if r.value ~= nil then
    answer = r.value
  else
    local text = r.body
    if text:match("^%s*{") then
      local ok, decoded = pcall(core.json_decode, text, "the response of " .. item.service)
      if ok then answer = decoded end
    end
    if type(answer) ~= "table" then return "done", text end
  end
  if type(answer) ~= "table" then return "done", answer end
  local status = answer.status
  if status == "EXECUTING" then return "again", { percent = answer["percent complete"], state = "EXECUTING" } end
  if status == "ERROR" then
    local msg = answer.msg
    if type(msg) ~= "string" or msg == "" then msg = "MAST gave no reason" end
    return "error", core.error("mast", "MAST reported an error: " .. msg, { msg = answer.msg })
  end
  if not DECODED[item.format] then return "done", r.body end
  return "done", result.wrap(answer, item.service)
end

-- A rough size of the rows in memory, from their JSON (sampled).
local function bytes_per_row(rows)
  local n = math.min(#rows, 100)
  if n == 0 then return 0 end
  local total = 0
  for i = 1, n do total = total + #core.json_encode(rows[i]) end
  return total / n
end

local copy = require("mast.transport").copy

--- The first page's request: page 1 of opts.pagesize (default the request's, else 50000).
function M.first_page(request, opts)
  local req = copy(request)
  req.pagesize = opts.pagesize or request.pagesize or DEFAULT_PAGESIZE
  req.page = 1
  return req
end

-- A "memory" error: the result is beyond the caller's budget.
local MAX_PAGES = 100000   -- pages one query_all lists at most (a larger pagesize fetches more rows)

local function over_budget(service, fields, what)
  fields.service = service
  error(core.error("memory", what .. "; narrow the query or raise the budget", fields))
end

--- The requests of pages 2.. from page 1's paging, after checking the budget
-- (opts.max_rows, opts.max_bytes) against its totals; nil for one page.
function M.paginate(first, request, opts)
  local pg = type(first) == "table" and first.paging
  if not result.is_result(first) or type(pg) ~= "table" then return nil end
  local total, pages = pg.rowsFiltered, pg.pagesFiltered
  if math.type(total) ~= "integer" then return nil end
  if opts.max_rows and total > opts.max_rows then
    over_budget(request.service, { rows = total },
      ("%d rows exceed the budget of max_rows = %d"):format(total, opts.max_rows))
  end
  if opts.max_bytes then
    local estimate = math.floor(bytes_per_row(first.data) * total)
    if estimate > opts.max_bytes then
      over_budget(request.service, { rows = total, bytes = estimate },
        ("%d rows of about %d bytes in all exceed the budget of max_bytes = %d"):format(total, estimate,
          opts.max_bytes))
    end
  end
  if math.type(pages) ~= "integer" or pages <= 1 then return nil end
  -- a paging that claims more pages than its rows fill, or more than any query_all
  -- should walk: refused before a request of them is made (or even listed)
  local size = math.tointeger(pg.pageSize) or request.pagesize
  if math.type(size) == "integer" and size > 0 and pages > math.max(1, (total + size - 1) // size) then
    error(core.error("mast", ("the answer's paging is inconsistent: %d pages of %d rows for %d rows; "
      .. "nothing more was fetched"):format(pages, size, total), { service = request.service, page = 1 }))
  end
  if pages > MAX_PAGES then
    over_budget(request.service, { rows = total, pages = pages },
      ("%d pages are more than one query_all fetches (%d)"):format(pages, MAX_PAGES))
  end
  local more = {}
  for p = 2, pages do
    local r = copy(request)
    r.page = p
    more[#more + 1] = r
  end
  return more
end

--- Every page's rows in order in the first page's result, fields united.
function M.join(first, answers)
  local list = { first }
  for i, a in ipairs(answers) do list[i + 1] = a end
  local pg = first.paging
  return dataset.join(list, pg.rowsFiltered, pg.rowsTotal)
end

-- ---------------------------------------------------------------- wrappers
-- What mast.service.define's declarations mean for invoke (the data only
-- this protocol interprets):
--   count            a COUNT_BIG(*) query (columns = "COUNT_BIG(*)" unless
--                    count_columns = false), answered as an integer
--   position_string  the position as params.position = "ra, dec, radius"
--   no_params        the request carries no params (Mast.HscSpectra.Db.All)
--   crossmatch       default radius: an upload (data, ra_column/dec_column)
--   request_options / run_options: the option groups (default the service's
--                    REQUEST / RUN, or COUNT_REQUEST / COUNT_RUN for a count)
local W = {}
M.wrapper = W

function W.options(spec)
  local S = require "mast.service"
  local V = O.validators
  local known = {}
  S.copy_into(known, spec.request_options or (spec.count and S.COUNT_REQUEST or S.REQUEST))
  S.copy_into(known, spec.run_options or (spec.count and S.COUNT_RUN or S.RUN))
  if spec.crossmatch then
    known.data, known.ra_column, known.dec_column, known.radius = V.table, V.string, V.string, V.radius
  end
  if not spec.no_params then known.params = V.table end
  return known
end

--- The params only invoke puts (after the declared options, filters and
-- columns); returns the request fields to add.
function W.params(spec, args, put)
  if spec.count and spec.count_columns ~= false then put("columns", "COUNT_BIG(*)", "columns") end
  if spec.crossmatch then
    local data, ra_col, dec_col = require("mast.crossmatch").upload(spec.name, args)
    put("raColumn", ra_col, "ra_column")
    put("decColumn", dec_col, "dec_column")
    put("radius", args.radius or spec.crossmatch, "radius")
    return { data = data }
  end
  return nil
end

function W.position(spec, put, ra, dec, radius)
  if spec.position_string then
    local text = O.number_text
    put("position", ("%s, %s, %s"):format(text(ra), text(dec), text(radius)), "position")
  else
    put("ra", ra, "ra")
    put("dec", dec, "dec")
    put("radius", radius, "radius")
  end
end

--- The request object of a wrapper call.
function W.request(spec, args, params, put, extra)
  local S = require "mast.service"
  local fn = spec.name
  local request = { service = type(spec.service) == "function" and spec.service(fn, args) or spec.service }
  for k, v in pairs(extra or {}) do request[k] = v end
  if not spec.no_params then request.params = core.object(params) end
  for k in pairs(S.REQUEST) do
    if args[k] ~= nil and k ~= "format" and k ~= "cachebreaker" then request[k] = args[k] end
  end
  request.format = args.format or "json"
  if args.cachebreaker ~= nil then
    -- the page puts it at the top and in params: MAST's cache key is
    -- {service, params}, so only the copy in params forces a fresh run
    local cb = args.cachebreaker == true and S.cachebreaker() or args.cachebreaker
    request.cachebreaker = cb
    if request.params then put("cachebreaker", cb, "cachebreaker") end
  end
  return request
end

--- What the wrapper hands back: a count's integer, the declaration's result, or the answer.
function W.answer(spec, answer, args)
  if spec.count then return require("mast.service").count(spec.name, answer) end
  if spec.result then return spec.result(spec.name, answer, args) end
  return answer
end

return M
