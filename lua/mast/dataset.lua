--- mast.dataset: what every writer and wrapper takes as "a dataset" — one place.
-- A dataset is MAST's {fields = {{name, type}, ...}, data = {rows}} (plus
-- paging). It comes as a mast.Result (a query's answer), a columnar
-- mast.Table (mast.json2table), or a raw envelope (any table with fields and
-- data). Other families' answers join here as they are added.
local result = require "mast.result"

local M = { _NAME = "mast.dataset" }

--- True if v is a mast.Result (a query's dataset answer).
M.is_result = result.is_result

--- True if v is a columnar mast.Table (mast.json2table).
function M.is_table(v)
  local mt = getmetatable(v)
  -- mast.columnar is loaded only when a table was made: no table without it
  local columnar = package.loaded["mast.columnar"]
  return mt ~= nil and columnar ~= nil and mt == columnar.Table
end

--- of(x) -> the envelope {fields, data, ...} of x, or nil (and what x was) if x is no dataset.
function M.of(x)
  if M.is_table(x) then return x:envelope() end
  if type(x) == "table" and type(x.fields) == "table" and type(x.data) == "table" then return x end
  return nil, type(x) == "table" and "a table without fields/data" or type(x)
end

--- The paging of a one-page answer holding n rows (total: MAST's count, default n).
function M.single_page(n, total)
  total = total or n
  return { page = 1, pageSize = n, pagesFiltered = 1, rows = n, rowsFiltered = total, rowsTotal = total }
end

--- join(list [, total, rows_total]) -> the first dataset, holding every row in order
-- and every field (removenullcolumns may drop columns page to page); its paging
-- becomes one page of them all (rowsFiltered = total and rowsTotal = rows_total
-- when total is given, else the number of rows joined).
function M.join(list, total, rows_total)
  local first = list[1]
  local data, fields = first.data, first.fields
  local seen = {}
  for _, f in ipairs(fields) do seen[f.name] = true end
  for i = 2, #list do
    local a = list[i]
    table.move(a.data, 1, #a.data, #data + 1, data)
    for _, f in ipairs(a.fields or {}) do
      if not seen[f.name] then
        seen[f.name] = true
        fields[#fields + 1] = f
      end
    end
  end
  local paging = M.single_page(#data, total)
  if total ~= nil then paging.rowsTotal = rows_total end   -- MAST's own, as it sent it
  first.paging = paging
  return first
end

--- A new Result of these rows and fields, one page of them all, named `service`.
function M.result(rows, fields, service)
  return result.wrap({ status = "COMPLETE", msg = "", data = rows, fields = fields,
                       paging = M.single_page(#rows) }, service)
end

--- The service that answered (a Result), else nil.
function M.service(x)
  if M.is_result(x) then return x:service() end
  return nil
end

return M
