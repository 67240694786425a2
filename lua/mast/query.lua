--- mast.query: send one request to MAST's invoke endpoint and return its answer.
-- Thin: the invoke protocol (mast.protocol.invoke) over mast.transport.
local invoke = require "mast.protocol.invoke"
local transport = require "mast.transport"
local O = require "mast.options"

local M = { _NAME = "mast.query" }

local V = O.validators
local OPTS = { deadline = V.deadline, progress = V.progress, concurrency = V.concurrency, cache = V.cache }

--- Encodes a request exactly as mast.query sends it: the form body bytes.
function M.encode(request)
  invoke.check("mast.query", request)
  return invoke.body(request)
end

--- mast.query(request [, opts]) -> result
-- request: a MAST request table ({service=..., params=..., format=..., pagesize=..., page=...}).
-- opts.deadline: seconds for the whole query, polling included (default: the deadline setting).
-- opts.progress: false to show nothing while MAST is EXECUTING.
-- A json answer comes back decoded (a mast.Result for datasets); csv and votable as text.
O.declare("mast.query", OPTS)
O.declare("mast.query_many", OPTS)

function M.query(request, opts)
  invoke.check("mast.query", request)
  opts = O.options("mast.query", opts, OPTS)
  return transport.one(invoke, request, opts)
end

--- mast.query_many(requests [, opts]) -> list
-- Runs independent queries concurrently (opts.concurrency at once, default
-- the concurrency setting) and returns their answers in order; a query that
-- failed has its error object in its slot (test with mast.is_error).
function M.query_many(requests, opts)
  local fn = "mast.query_many"
  if type(requests) ~= "table" then O.usage(fn, "takes a list of requests, got " .. O.describe(requests)) end
  opts = O.options(fn, opts, OPTS)
  for i, request in ipairs(requests) do
    invoke.check(fn, request, { item = i, item_kind = "request" })
  end
  return transport.many(invoke, requests, opts)
end

return M
