--- mast.record: every request and answer of a run, kept, or answered again with no network.
-- MAST_RECORD=dir (the setting record, or mast.record(dir)) keeps each
-- exchange; MAST_REPLAY=dir (replay, or mast.replay(dir)) answers the same
-- script from the recording, byte for byte, and raises a "replay" error
-- naming a request the recording does not hold. Every request of mast
-- passes core.perform through here (mast.transport, mast.download).
--
-- Layout, format version 1 (stable; a reader refuses another version):
--   <dir>/index.jsonl      line 1: {"format":"mast-recording","version":1}
--                          then one JSON object per exchange, in order:
--                          seq, method, url, content_type, request (sha256 of
--                          the request body, or null), key, ok, status,
--                          response_content_type, response_url, body (sha256
--                          of the answer's bytes), bytes, error {code,
--                          message}, and for a download: dest, sha256 (of the
--                          file written)
--   <dir>/bodies/<sha256>  each request and answer body once, named by its hash
-- key: sha256 of "<method> <url>\n<sha256 of the body>", what a replayed
-- request is looked up by; the same request asked again (a poll) gets the
-- recorded answers in their order, then the last one again.
-- Tokens never enter a recording: the engine adds the token as a header,
-- which is not kept; a body that mentions the token is not kept either.
-- Downloads are not copied: under replay the file must already be at its
-- path with the recorded sha256 (e.g. from the recorded run), or the
-- replay fails naming it.
local core = require "mast.core"
local O = require "mast.options"

local M = { _NAME = "mast.record" }

local VERSION = 1
local state   -- nil until first use; {mode = "record"|"replay"|false, dir, ...}

local function replay_error(msg, fields)
  return core.error("replay", msg, fields)
end

local function write_file(path, bytes)
  local out <close> = core.open_output(path)
  out:write(bytes)
  out:commit()
end

local function body_key(method, url, body)
  return core.sha256(("%s %s\n%s"):format(method, url, body and core.sha256(body) or "-"))
end

-- Opens dir for recording: a new index (a recording is one run), whole at
-- its path from the start; each batch's exchanges are then appended to it
-- as one write, so the index grows by the batch, never rewritten, and a run
-- that is killed keeps every batch that had ended.
local function start_record(dir)
  core.mkdirs(dir .. "/bodies")
  local path = dir .. "/index.jsonl"
  write_file(path, core.json_encode({ format = "mast-recording", version = VERSION }) .. "\n")
  return { mode = "record", dir = dir, seq = 0, stored = {} }
end

-- The bytes of a file of the recording, or nil and why (core.read_file raises).
local function read_file(path)
  local ok, v = pcall(core.read_file, path)
  if ok then return v end
  return nil, core.is_error(v) and v.message or tostring(v)
end

local function start_replay(dir)
  local text, why = read_file(dir .. "/index.jsonl")
  if not text then error(replay_error("cannot read the recording " .. dir .. ": " .. tostring(why)), 0) end
  local s = { mode = "replay", dir = dir, by_key = {}, next = {} }
  local n = 0
  -- a last line with no newline is an exchange a killed run did not finish
  -- writing: it was never recorded
  text = text:match("^(.*\n)") or ""
  for line in text:gmatch("[^\n]+") do
    n = n + 1
    local ok, e = pcall(core.json_decode, line)
    if not ok or type(e) ~= "table" then
      error(replay_error(("%s/index.jsonl line %d is not JSON"):format(dir, n)), 0)
    end
    if n == 1 then
      if e.format ~= "mast-recording" or e.version ~= VERSION then
        error(replay_error(("%s is not a mast recording of format version %d"):format(dir, VERSION)), 0)
      end
    else
      local list = s.by_key[e.key] or {}
      list[#list + 1] = e
      s.by_key[e.key] = list
    end
  end
  if n == 0 then error(replay_error(dir .. "/index.jsonl is empty"), 0) end
  return s
end

-- The settings' state, made again when mast.config changes them; a call
-- of mast.record or mast.replay holds until the settings change.
local function current()
  local config = require "mast.config"
  local rdir, pdir = config.get("record"), config.get("replay")
  if state == nil or state.from_record ~= rdir or state.from_replay ~= pdir then
    local s
    if pdir then s = start_replay(pdir)
    elseif rdir then s = start_record(rdir)
    else s = { mode = false } end
    s.from_record, s.from_replay = rdir, pdir
    state = s
  end
  return state
end

local function pin(s)
  local config = require "mast.config"
  s.from_record, s.from_replay = config.get("record"), config.get("replay")
  state = s
end

--- "record", "replay" or nil: what this run does.
function M.mode()
  return current().mode or nil
end

--- mast.record(dir | false): keeps every exchange from now on in dir (a
-- new recording), or stops.
function M.record(dir)
  if dir ~= false and (type(dir) ~= "string" or dir == "") then
    O.usage("mast.record", "expected a directory or false, got " .. O.describe(dir))
  end
  pin(dir and start_record(dir) or { mode = false })
end

--- mast.replay(dir | false): answers every request from the recording in dir, or stops.
function M.replay(dir)
  if dir ~= false and (type(dir) ~= "string" or dir == "") then
    O.usage("mast.replay", "expected a directory or false, got " .. O.describe(dir))
  end
  pin(dir and start_replay(dir) or { mode = false })
end

local function keep_body(s, bytes)
  local sha = core.sha256(bytes)
  if not s.stored[sha] then
    write_file(s.dir .. "/bodies/" .. sha, bytes)
    s.stored[sha] = true
  end
  return sha
end

local function record_one(s, spec, r)
  local method = spec.method or "GET"
  s.seq = s.seq + 1
  local e = { seq = s.seq, method = method, url = spec.url, content_type = spec.content_type,
              key = body_key(method, spec.url, spec.body), ok = r.ok, status = r.status,
              response_content_type = r.content_type, response_url = r.url, bytes = r.bytes }
  if spec.body then
    if core.mentions_token(spec.body) then e.withheld = true else e.request = keep_body(s, spec.body) end
  end
  if type(r.body) == "string" then
    if core.mentions_token(r.body) then e.withheld = true else e.body = keep_body(s, r.body) end
  end
  if r.error then e.error = { code = r.error.code, message = r.error.message } end
  if spec.dest and r.ok then
    e.dest = spec.dest
    e.sha256 = core.sha256_file(spec.dest)
  end
  return core.json_encode(e)
end

-- Appends a batch's lines to the index in one write.
local function append_index(s, lines)
  core.append_file(s.dir .. "/index.jsonl", table.concat(lines, "\n") .. "\n")
end

local function replay_one(s, spec)
  local method = spec.method or "GET"
  local key = body_key(method, spec.url, spec.body)
  local list = s.by_key[key]
  if not list then
    error(replay_error(("%s %s (body sha256 %s) is not in the recording %s"):format(method, spec.url,
      spec.body and core.sha256(spec.body) or "none", s.dir), { url = spec.url }), 0)
  end
  local i = math.min((s.next[key] or 0) + 1, #list)
  s.next[key] = i
  local e = list[i]
  if e.withheld then
    error(replay_error(("%s %s: the recording withheld this exchange (it mentioned the token)")
      :format(method, spec.url), { url = spec.url }), 0)
  end
  local r = { ok = e.ok, status = math.tointeger(e.status), content_type = e.response_content_type,
              url = e.response_url, bytes = math.tointeger(e.bytes) or 0, attempts = 0,
              resumed = false, skipped = false, seconds = 0, replayed = true }
  if e.error then r.error = core.error(e.error.code, e.error.message, { url = spec.url }) end
  if e.body then
    local body, why = read_file(s.dir .. "/bodies/" .. e.body)
    if not body or core.sha256(body) ~= e.body then
      error(replay_error(("%s %s: the recorded answer %s/bodies/%s is missing or damaged%s")
        :format(method, spec.url, s.dir, e.body, why and (": " .. why) or "")), 0)
    end
    if spec.sink then
      spec.sink(body)
    elseif spec.decode == "json" and r.ok then
      local ok, v = pcall(core.json_decode, body, spec.label and ("the response of " .. spec.label))
      if ok then r.value = v else r.json_error = v end
      if spec.keep_body then r.body = body end
    else
      r.body = body
    end
  end
  if spec.dest and e.ok then
    local sha = core.sha256_file(spec.dest)
    if sha ~= e.sha256 then
      error(replay_error(("%s %s: a replay does not download; %s must hold the recorded file "
        .. "(sha256 %s)"):format(method, spec.url, spec.dest, tostring(e.sha256)), { path = spec.dest }), 0)
    end
    r.skipped = true
  end
  return r
end

--- perform(specs, opts) -> core.perform's results: sent and kept (record),
-- answered from the recording (replay), or just sent.
function M.perform(specs, opts)
  local s = current()
  if s.mode == "replay" then
    local out = {}
    for i, spec in ipairs(specs) do out[i] = replay_one(s, spec) end
    return out
  end
  if s.mode ~= "record" then return core.perform(specs, opts) end
  local sent = {}
  for i, spec in ipairs(specs) do
    -- the bytes of a decoded answer too: the recording keeps what came
    if spec.decode == "json" and not spec.keep_body then
      local c = {}
      for k, v in pairs(spec) do c[k] = v end
      c.keep_body = true
      sent[i] = c
    else
      sent[i] = spec
    end
  end
  local results = core.perform(sent, opts)
  local lines = {}
  for i, r in ipairs(results) do lines[i] = record_one(s, specs[i], r) end
  if #lines > 0 then append_index(s, lines) end
  return results
end

--- request(spec, opts) -> core.request's result through perform (raises its error).
function M.request(spec, opts)
  local r = M.perform({ spec }, opts)[1]
  if r.error then error(r.error, 0) end
  return r
end

return M
