-- The nginx front of spec/tools/nginx-front, as the specs of spec/front see it:
-- its access log (one line a request: connection, requests on it so far,
-- protocol, status, bytes sent, request length, gzip ratio, time, request line).
local F = {}

F.log_path = os.getenv("MAST_FRONT_LOG")
F.url = os.getenv("MAST_FRONT_URL")
F.protocol = os.getenv("MAST_FRONT_PROTOCOL")
F.keepalive_requests = tonumber(os.getenv("MAST_FRONT_KEEPALIVE_REQUESTS"))

local function lines()
  assert(F.log_path, "MAST_FRONT_LOG is not set: run this spec through spec/tools/nginx-front")
  local out = {}
  for line in io.lines(F.log_path) do out[#out + 1] = line end
  return out
end

--- A mark in the log: F.since(mark) gives the entries logged after it.
function F.mark()
  return #lines()
end

local function parse(line)
  local conn, creq, proto, status, sent, len, ratio, t, method, uri =
    line:match("^(%d+) (%d+) (%S+) (%d+) (%d+) (%d+) (%S+) (%S+) (%S+) (%S+) %S+$")
  assert(conn, "an access log line I cannot read: " .. line)
  return { conn = tonumber(conn), conn_requests = tonumber(creq), protocol = proto, method = method,
           status = tonumber(status), bytes = tonumber(sent), request_length = tonumber(len),
           gzip_ratio = tonumber(ratio), time = tonumber(t), uri = uri }
end

--- The entries after a mark. nginx writes a line when it has finished a request,
--- which can be a moment after the client has the whole answer: with `want`, waits
--- (up to 3 s) until that many entries are there.
function F.since(mark, want)
  local all, out = lines(), {}
  local core = require "mast.core"
  local t0 = core.now()
  while want and #all - (mark or 0) < want and core.now() - t0 < 3 do
    core.sleep(0.02)
    all = lines()
  end
  for i = (mark or 0) + 1, #all do out[#out + 1] = parse(all[i]) end
  return out
end

--- The distinct connections of some entries, and how many.
function F.connections(entries)
  local set, n = {}, 0
  for _, e in ipairs(entries) do
    if not set[e.conn] then set[e.conn] = true; n = n + 1 end
  end
  return n, set
end

--- The sha256 of what the sandbox serves for each {uri, size}, from its own content
--- function (spec/tools/sandbox-sha256).
function F.expected_sha256(items)
  local args = {}
  for _, it in ipairs(items) do
    args[#args + 1] = H.quote(it.uri)
    args[#args + 1] = tostring(it.size)
  end
  local code, out, err = H.sh(H.quote(H.root .. "/spec/tools/sandbox-sha256") .. " " .. table.concat(args, " "))
  assert(code == 0, err)
  local out_t = {}
  for hex in out:gmatch("%x+") do out_t[#out_t + 1] = hex end
  assert(#out_t == #items, out)
  return out_t
end

return F
