--- mast.protocol.missions: MAST's Missions search API, as a protocol for mast.transport.
-- A request is {mission = "hst", endpoint = "search" | "post_list_products",
-- body = <a table>}, POSTed as JSON to <base_url>/search/<mission>/api/v0.1/<endpoint>.
-- A search answers {messages, info = {{name, type}}, search_params,
-- totalResults, results = {{column = value}}}, which becomes a mast.Result
-- (fields from info, space-padded strings trimmed, dates kept as ISO
-- strings); pages are offset/limit. post_list_products answers {products},
-- sometimes nested one level deeper, which becomes a Result too. An HTTP
-- error (400 for bad criteria) is the engine's "http" error, with the start
-- of the server's answer (its JSON `detail`) in the message; 5xx are retried.
local core = require "mast.core"
local dataset = require "mast.dataset"

local M = { _NAME = "mast.protocol.missions", name = "missions", family = "mast",
            backoff = { first = 0.25, max = 4 }, concurrency = 4 }

M.DEFAULT_LIMIT = 5000     -- what astroquery asks for a page
local JSON = "application/json"
-- keys whose empty tables are JSON arrays
local ARRAYS = { empty_array_keys = { "target", "select_cols", "sort_by", "sort_desc", "conditions",
                                      "dataset_ids", "search_key", "user_fields" } }
-- the Missions API's types, in the invoke API's type words
local TYPES = { STRING = "string", VARCHAR = "string", CHAR = "string", FLOAT = "float", INTEGER = "int",
                DATETIME = "datetime",
                BOOLEAN = "boolean", DATE = "date" }

--- The URL of an endpoint of a mission (util: column_list).
function M.url(mission, endpoint)
  return ("%s/search/%s/api/v0.1/%s"):format(core.config("base_url"), mission, endpoint)
end

function M.build(request)
  local label = ("%s %s"):format(request.mission, request.endpoint)
  return {
    spec = { method = "POST", url = M.url(request.mission, request.endpoint),
             body = core.json_encode(request.body, "request", ARRAYS), content_type = JSON,
             headers = { "Accept: application/json" }, decode = "json", label = label },
    label = label, context = { service = label }, request = request,
  }
end

local function trim(v)
  if type(v) == "string" then return (v:gsub("^%s+", ""):gsub("%s+$", "")) end
  return v
end

-- A Result of rows (tables keyed by column) with these fields.
local function result_of(rows, fields, service, total)
  for _, row in ipairs(rows) do
    for k, v in pairs(row) do
      if type(v) == "string" then row[k] = trim(v) end
    end
    for _, f in ipairs(fields) do
      if row[f.name] == nil then row[f.name] = core.null end
    end
  end
  local r = dataset.result(rows, fields, service)
  if total then r.paging.rowsFiltered, r.paging.rowsTotal = total, total end
  return r
end

-- The fields of a search answer: info's, else the first row's keys in order of search_params.select_cols.
local function fields_of(answer)
  local fields = {}
  if type(answer.info) == "table" and #answer.info > 0 then
    for i, f in ipairs(answer.info) do
      fields[i] = { name = f.name, type = TYPES[f.type] or (type(f.type) == "string" and f.type:lower()) or "string" }
    end
    return fields
  end
  local cols = type(answer.search_params) == "table" and answer.search_params.select_cols
  if type(cols) == "table" then
    for i, c in ipairs(cols) do fields[i] = { name = c, type = "string" } end
  end
  return fields
end

function M.interpret(item, r)
  if r.json_error then return "error", r.json_error end
  local answer = r.value
  if type(answer) ~= "table" then
    return "error", core.error("json", ("%s answered something that is not a JSON object"):format(item.label))
  end
  local req = item.request
  if req.endpoint == "post_list_products" then
    local list = answer.products
    if type(list) ~= "table" then
      return "error", core.error("json", ("%s gave no products list"):format(item.label))
    end
    local rows = {}
    for _, p in ipairs(list) do   -- the list may be nested one level deeper
      if type(p) == "table" and p[1] ~= nil then
        for _, q in ipairs(p) do rows[#rows + 1] = q end
      elseif type(p) == "table" then
        rows[#rows + 1] = p
      end
    end
    local fields, seen = {}, {}
    for _, row in ipairs(rows) do
      for k, v in pairs(row) do
        if not seen[k] then
          seen[k] = true
          fields[#fields + 1] = { name = k, type = math.type(v) == "integer" and "int" or
            (type(v) == "number" and "float" or "string") }
        end
      end
    end
    table.sort(fields, function(a, b) return a.name < b.name end)
    return "done", result_of(rows, fields, item.label)
  end
  if type(answer.results) ~= "table" then
    local msgs = type(answer.messages) == "table" and table.concat(answer.messages, "; ") or ""
    return "error", core.error("mast", ("%s gave no results%s"):format(item.label,
      msgs ~= "" and (": " .. msgs) or ""))
  end
  local total = math.type(answer.totalResults) == "integer" and answer.totalResults or nil
  if req.body.count_only then return "done", total end
  return "done", result_of(answer.results, fields_of(answer), item.label, total)
end

local copy = require("mast.transport").copy

local function with_offset(request, offset, limit)
  local r = copy(request)
  r.body = copy(request.body)
  r.body.offset, r.body.limit = offset, limit
  return r
end

--- The first page: offset 0 (or the request's), limit opts.pagesize or the request's, else 5000.
function M.first_page(request, opts)
  return with_offset(request, request.body.offset or 0, opts.pagesize or request.body.limit or M.DEFAULT_LIMIT)
end

--- The other pages from page 1's totalResults (opts.max_rows: a budget).
function M.paginate(first, request, opts)
  if not dataset.is_result(first) then return nil end
  local total = first.paging.rowsFiltered
  if math.type(total) ~= "integer" then return nil end
  local start, limit = request.body.offset or 0, request.body.limit
  if opts.max_rows and total - start > opts.max_rows then
    error(core.error("memory", ("%d rows exceed the budget of max_rows = %d; narrow the search or raise the budget")
      :format(total - start, opts.max_rows), { rows = total, service = request.mission .. " search" }))
  end
  local more = {}
  for offset = start + limit, total - 1, limit do more[#more + 1] = with_offset(request, offset, limit) end
  return more
end

function M.join(first, answers)
  local list = { first }
  for i, a in ipairs(answers) do list[i + 1] = a end
  local total = first.paging.rowsFiltered
  return dataset.join(list, total, total)
end

return M
