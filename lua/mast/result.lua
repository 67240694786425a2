--- mast.result: what a MAST dataset answer is in Lua.
-- A result is the decoded JSON envelope ({status, msg, data, fields, paging})
-- with a metatable: printing it shows a grid. Its fields are MAST's own, so a
-- result can be passed back to MAST as it is (e.g. as crossmatch data).
local M = {}

local service_of = setmetatable({}, { __mode = "k" })

local Result = { __name = "mast.Result" }
Result.__index = {}

function Result.__tostring(r)
  return require("mast.pretty").grid(r, { title = service_of[r] })
end

--- The number of rows in this answer.
function Result.__index.count(r)
  return type(r.data) == "table" and #r.data or 0
end

--- The names of the columns, in order.
function Result.__index.columns(r)
  local names = {}
  for i, f in ipairs(r.fields or {}) do names[i] = f.name end
  return names
end

--- The service that answered.
function Result.__index.service(r)
  return service_of[r]
end

--- r:show{columns = {...}, rows = n, width = w} -> the grid of exactly that (a string).
function Result.__index.show(r, opts)
  return require("mast.pretty").show("Result:show", r, opts, service_of[r])
end

--- r:write(path [, opts]) -> the path written: mast.write(r, path, opts).
function Result.__index.write(r, path, opts)
  return require("mast.formats").write(r, path, opts)
end

M.Result = Result

--- The table operations every dataset has as methods (mast.ops, loaded on first use):
-- r:sort("mag") is mast.ops.sort(r, "mag").
M.OPS = { "select", "rename", "where", "sort", "head", "tail", "slice", "unique", "group_by", "join",
          "stack", "add_column", "stats" }

--- Puts the method form of every operation into `methods`.
function M.op_methods(methods)
  for _, name in ipairs(M.OPS) do
    methods[name] = function(...) return require("mast.ops")[name](...) end
  end
end
M.op_methods(Result.__index)

--- Gives a decoded answer the Result metatable when it is a dataset.
function M.wrap(answer, service)
  if type(answer) == "table" and type(answer.fields) == "table" and type(answer.data) == "table"
     and getmetatable(answer) == nil then
    setmetatable(answer, Result)
    service_of[answer] = service
  end
  return answer
end

function M.is_result(v)
  return getmetatable(v) == Result
end

return M
