--- mast.query_all: every page of a query, fetched concurrently, as one result.
local core = require "mast.core"
local query = require "mast.query"
local result = require "mast.result"

local M = {}

local DEFAULT_PAGESIZE = 50000   -- what astroquery asks for; MAST's limit is ~500,000 rows
local DEFAULT_CONCURRENCY = 4
local O = require "mast.options"
local V = O.validators
local OPTS = { deadline = V.deadline, progress = V.progress, concurrency = V.concurrency, pagesize = V.posint,
               max_rows = V.posint, max_bytes = V.posint }
local FN = "mast.query_all"

-- A rough size of the rows in memory, from their JSON (sampled).
local function bytes_per_row(rows)
  local n = math.min(#rows, 100)
  if n == 0 then return 0 end
  local total = 0
  for i = 1, n do total = total + #core.json_encode(rows[i]) end
  return total / n
end

--- mast.query_all(request [, opts]) -> one result holding every row
-- Fetches page 1, then the other pages concurrently (opts.concurrency at a
-- time, default 4) over kept-alive connections, and joins the rows in order.
-- opts.pagesize: rows per page (default the request's pagesize, else 50000).
-- opts.max_rows / opts.max_bytes: a budget; a result larger than it (known
-- from page 1, bytes estimated from its rows' JSON) is an error before the
-- other pages are fetched. opts.deadline, opts.progress: as mast.query.
function M.query_all(request, opts)
  opts = O.options(FN, opts, OPTS)
  if type(request) ~= "table" then O.usage(FN, "the request must be a table, got " .. O.describe(request)) end
  local t_end = core.now() + (opts.deadline or require("mast.config").get("deadline"))
  local function left() return math.max(t_end - core.now(), 0.001) end
  local req = {}
  for k, v in pairs(request) do req[k] = v end
  req.pagesize = opts.pagesize or request.pagesize or DEFAULT_PAGESIZE
  req.page = 1
  local first = query.query(req, { deadline = left(), progress = opts.progress })
  local pg = type(first) == "table" and first.paging
  if not result.is_result(first) or type(pg) ~= "table" then return first end
  local total, pages = pg.rowsFiltered, pg.pagesFiltered
  if math.type(total) ~= "integer" then return first end
  local service = request.service
  if opts.max_rows and total > opts.max_rows then
    error(core.error("memory", ("%s: %d rows exceed the budget of max_rows = %d; narrow the query "
      .. "or raise the budget"):format(service, total, opts.max_rows), { service = service, rows = total }), 2)
  end
  if opts.max_bytes then
    local estimate = math.floor(bytes_per_row(first.data) * total)
    if estimate > opts.max_bytes then
      error(core.error("memory", ("%s: %d rows of about %d bytes in all exceed the budget of "
        .. "max_bytes = %d; narrow the query or raise the budget"):format(service, total, estimate,
        opts.max_bytes), { service = service, rows = total, bytes = estimate }), 2)
    end
  end
  if math.type(pages) ~= "integer" or pages <= 1 then return first end

  local requests = {}
  for p = 2, pages do
    local r = {}
    for k, v in pairs(req) do r[k] = v end
    r.page = p
    requests[#requests + 1] = r
  end
  local answers = query.query_many(requests, { deadline = left(), progress = opts.progress,
                                               concurrency = opts.concurrency or DEFAULT_CONCURRENCY })
  local data, fields = first.data, first.fields
  local seen = {}
  for _, f in ipairs(fields) do seen[f.name] = true end
  for i, a in ipairs(answers) do
    if core.is_error(a) then
      a.message = ("page %d of %d: %s"):format(i + 1, pages, a.message)
      error(a, 2)
    end
    table.move(a.data, 1, #a.data, #data + 1, data)
    for _, f in ipairs(a.fields or {}) do   -- removenullcolumns may differ page to page
      if not seen[f.name] then
        seen[f.name] = true
        fields[#fields + 1] = f
      end
    end
  end
  first.paging = { page = 1, pageSize = #data, pagesFiltered = 1, rows = #data,
                   rowsFiltered = total, rowsTotal = pg.rowsTotal }
  return first
end

return M
