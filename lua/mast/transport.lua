--- mast.transport: performs a protocol's requests; knows no MAST envelope.
-- What every API family needs, written once: a batch of requests over the
-- engine (core.perform) within a deadline, the terminal's waiting line,
-- cancellation (a cancelled item raises at once), polling (re-sending) with
-- a backoff under the deadline, paging, and error context (each error gets
-- its item's context fields, then the family's hints).
--
-- A protocol is a table:
--   name        "invoke", ... (for messages)
--   family      whose advice applies to its errors: hints.add(err, family)
--   backoff     {first = s, max = s}: the wait between polls, doubling
--               (default 0.25 s doubling to 4 s)
--   build(args) -> item: {spec = <a core.perform request spec>,
--               label = <text for the waiting line>,
--               context = {service = ..., ...}: fields added to its errors}
--   interpret(item, response) -> verdict, value: what one response means,
--               response being core.perform's result ({ok = true, status,
--               body | value | json_error, ...}; a failed transfer never
--               gets here):
--                 "done", value       the answer
--                 "error", err        a failure (a mast error object)
--                 "again", poll       not ready: send again after a backoff;
--                   poll = {percent =, state = "EXECUTING", spec = <the
--                   next spec, default the same bytes again>} (all optional)
--   paginate(first, args, opts) -> list of args for the other pages, or nil
--               (opts: the caller's options, e.g. budgets; raising here stops
--               before anything more is sent)
--   join(first, answers) -> the one answer of every page, in order
--   first_page(args, opts) -> args of the first page (optional; default args)
-- Items are numbered by run's caller: context fields page/pages (paging)
-- or item/items (batches) say which one failed.
--
-- Every request passes here once: the query cache (mast.qcache) answers a
-- request it holds without sending it and keeps what interpret() calls
-- "done"; the recorder (mast.record) keeps or replays every exchange.
-- opts.cache (false | "refresh") is a run's own cache policy.
local core = require "mast.core"
local qcache = require "mast.qcache"
local record = require "mast.record"
local progress = require "mast.progress"
local O = require "mast.options"

local M = { _NAME = "mast.transport" }

local FIRST_DELAY, MAX_DELAY = 0.25, 4   -- default poll backoff, seconds

-- The engine the transport drives; a spec passes a fake one in opts.engine.
local ENGINE = {
  perform = function(...) return record.perform(...) end,
  now = function() return core.now() end,
  sleep = function(s) return core.sleep(s) end,
}

--- A shallow copy of a table: protocols copy a request before changing its page.
function M.copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

--- fetch(fn, spec, opts) -> core.perform's result for one request spec
-- (a GET of a small answer: a column list, metadata, a cutout), raising its
-- failure (transfer, HTTP, or a body that is not the JSON it should be) with
-- fn as context. opts.deadline.
function M.fetch(fn, spec, opts)
  local policy = qcache.policy(opts)
  local key = policy and qcache.key(spec)
  local hit = key and qcache.get(policy, spec, key)
  if hit then return hit end
  if key and spec.decode == "json" then
    spec = M.copy(spec)
    spec.keep_body = true
  end
  local ok, rs = pcall(record.perform, { spec }, { deadline = opts and opts.deadline })
  local failed = not ok and rs or not rs[1].ok and rs[1].error
  if failed then
    O.cancelled(failed, "cancelled before " .. (spec.label or spec.url) .. " answered")
    error(O.within(fn, failed), 0)
  end
  local r = rs[1]
  if r.json_error then error(O.within(fn, r.json_error), 0) end
  if key and r.status == 200 then qcache.put(policy, key, r) end
  return r
end

--- Adds context to an error (only fields it does not have yet) and the family's hints.
function M.annotate(err, context, family)
  if core.is_error(err) then
    for k, v in pairs(context or {}) do
      if err[k] == nil then err[k] = v end
    end
    require("mast.hints").add(err, family)
  end
  return err
end

local function deadline_of(opts)
  return opts.deadline or require("mast.config").get("deadline")
end

--- run(protocol, items, opts) -> fills item.value or item.err for every item
-- items: what protocol.build made. Every item the protocol answers "again"
-- for is sent again after the backoff until all are done or the deadline
-- passes (then a timeout error). opts: deadline, progress (false: no waiting
-- line), concurrency, label (the waiting line's), engine (specs only).
function M.run(protocol, items, opts)
  local engine = opts.engine or ENGINE
  local backoff = protocol.backoff or {}
  local delay, max_delay = backoff.first or FIRST_DELAY, backoff.max or MAX_DELAY
  local deadline = deadline_of(opts)
  local t_end = engine.now() + deadline
  local label = opts.label or (#items == 1 and items[1].label or (#items .. " queries"))
  local waiting = opts.progress ~= false and progress.waiting(label) or nil
  local family = protocol.family
  local policy = qcache.policy(opts)
  local pending, polls, state = items, 0, nil
  -- An item the cache answers is done before anything is sent. Its key is
  -- that of its first request: the answer is kept only if the "done" one
  -- was the same bytes (a poll that sends the same request again).
  local function from_cache(list)
    if policy == nil then return list end
    local send = {}
    for _, item in ipairs(list) do
      local hit
      if item.cache_key == nil then
        item.cache_key = qcache.key(item.spec) or false
        item.cache_spec = item.spec
        hit = item.cache_key and qcache.get(policy, item.spec, item.cache_key)
      end
      local what, v
      if hit then what, v = protocol.interpret(item, hit) end
      if what == "done" then
        item.value = v
        item.from_cache = true
      else
        if item.cache_key and item.spec.decode == "json" then item.spec.keep_body = true end
        send[#send + 1] = item
      end
    end
    return send
  end
  local ok, err = pcall(function()
    pending = from_cache(pending)
    while #pending > 0 do
      local left = t_end - engine.now()
      if left <= 0 then break end
      local specs = {}
      for i, item in ipairs(pending) do specs[i] = item.spec end
      local results = engine.perform(specs, { deadline = left, concurrency = opts.concurrency })
      local still, percent = {}, nil
      for i, r in ipairs(results) do
        local item = pending[i]
        if not r.ok then
          M.annotate(r.error, item.context, family)
          if r.error.code == "cancelled" then error(r.error) end
          item.err = r.error
        else
          local what, v = protocol.interpret(item, r)
          if what == "done" then
            item.value = v
            if policy and item.cache_key and rawequal(item.spec, item.cache_spec) then
              qcache.put(policy, item.cache_key, r)
            end
            if item.spec.keep_body and item.spec.decode == "json" then r.body = nil end   -- kept: let it go
          elseif what == "error" then
            item.err = M.annotate(v, item.context, family)
          else
            still[#still + 1] = item
            v = v or {}
            percent, state = v.percent, v.state or state
            if v.spec then item.spec = v.spec end
          end
        end
      end
      pending = still
      if #pending > 0 then
        polls = polls + 1
        if waiting then waiting:update(#items == 1 and percent or nil, polls) end
        if engine.now() + delay > t_end then break end
        engine.sleep(delay)
        delay = math.min(delay * 2, max_delay)
      end
    end
  end)
  if waiting then waiting:done() end
  if not ok then
    local what = #items == 1 and "the query" or (#items .. " queries")
    if #items == 1 then M.annotate(err, items[1].context, family) end
    if polls > 0 then
      O.cancelled(err, ("cancelled while waiting for MAST to finish %s (%s, %d polls)"):format(
        what, state or "EXECUTING", polls))
    else
      O.cancelled(err, "cancelled before MAST answered " .. what)
    end
    error(err, 0)
  end
  for _, item in ipairs(pending) do
    item.err = M.annotate(core.error("timeout",
      ("still %s when the %g s deadline passed (%d polls); MAST is still working on it: "
       .. "raise the deadline (mast.config{deadline = ...} or the query's opts.deadline) "
       .. "or narrow the query"):format(state or "waiting", deadline, polls)), item.context, family)
  end
  return items
end

--- one(protocol, args, opts) -> the answer (raises its error)
function M.one(protocol, args, opts)
  local item = protocol.build(args)
  M.run(protocol, { item }, opts)
  if item.err then error(item.err) end
  return item.value
end

--- many(protocol, list, opts) -> answers in order; a failed one's slot holds its error
function M.many(protocol, list, opts)
  local items = {}
  for i, args in ipairs(list) do items[i] = protocol.build(args) end
  M.run(protocol, items, opts)
  local out = {}
  for i, item in ipairs(items) do out[i] = item.err or item.value end
  return out
end

--- all(protocol, args, opts) -> every page as one answer
-- The first page, then protocol.paginate's pages concurrently (opts.concurrency,
-- default protocol.concurrency), joined by protocol.join. A failed page raises
-- its error, with page and pages in its context.
function M.all(protocol, args, opts)
  local engine = opts.engine or ENGINE
  local t_end = engine.now() + deadline_of(opts)
  local function left() return math.max(t_end - engine.now(), 0.001) end
  local function stage(o)
    o.deadline, o.progress, o.engine, o.cache = left(), opts.progress, opts.engine, opts.cache
    return o
  end
  if protocol.first_page then args = protocol.first_page(args, opts) end
  -- With the query cache, every page comes from one fetch: pages kept at
  -- different times (one evicted or expired before the others) would join
  -- rows of two states of the archive, a silently different answer. Page 1
  -- fetched now means its siblings are fetched now too ("refresh"); page 1
  -- from the cache with a later page missing from it means all again.
  local function fetch(cache)
    local o = stage({})
    if cache then o.cache = cache end
    local head = protocol.build(args)
    M.run(protocol, { head }, o)
    if head.err then error(head.err) end
    local first = head.value
    local more = protocol.paginate(first, args, opts)
    if not more or #more == 0 then return first end
    local pages = #more + 1
    local items = {}
    for i, a in ipairs(more) do
      local item = protocol.build(a)
      local context = { page = i + 1, pages = pages }
      for k, v in pairs(item.context or {}) do context[k] = v end
      item.context = context
      items[i] = item
    end
    local rest = stage({ concurrency = opts.concurrency or protocol.concurrency })
    rest.cache = cache or (qcache.policy(rest) and not head.from_cache and "refresh") or rest.cache
    M.run(protocol, items, rest)
    local answers = {}
    for i, item in ipairs(items) do
      if item.err then error(item.err) end
      if head.from_cache and not item.from_cache then return nil end   -- pages of two fetches
      answers[i] = item.value
    end
    return protocol.join(first, answers)
  end
  return fetch() or fetch("refresh")
end

return M
