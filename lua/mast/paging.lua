--- mast.query_all: every page of a query, fetched concurrently, as one result.
-- Thin: the invoke protocol's paging over mast.transport.
local invoke = require "mast.protocol.invoke"
local transport = require "mast.transport"
local O = require "mast.options"

local M = { _NAME = "mast.paging" }

local V = O.validators
local OPTS = { deadline = V.deadline, progress = V.progress, concurrency = V.concurrency, pagesize = V.posint,
               max_rows = V.posint, max_bytes = V.posint, cache = V.cache }
local FN = "mast.query_all"

--- mast.query_all(request [, opts]) -> one result holding every row
-- Fetches page 1, then the other pages concurrently (opts.concurrency at a
-- time, default 4) over kept-alive connections, and joins the rows in order.
-- opts.pagesize: rows per page (default the request's pagesize, else 50000).
-- opts.max_rows / opts.max_bytes: a budget; a result larger than it (known
-- from page 1, bytes estimated from its rows' JSON) is an error before the
-- other pages are fetched. opts.deadline, opts.progress: as mast.query.
O.declare("mast.query_all", OPTS)
function M.query_all(request, opts)
  opts = O.options(FN, opts, OPTS)
  invoke.check(FN, request)
  return transport.all(invoke, request, opts)
end

return M
