--- mast.cutout: what TESScut, Zcut and Hapcut share — GET a JSON list, or GET a
-- zip of cutouts and unpack it safely. The services (MAST's astrocut) answer a
-- request that finds nothing with a JSON {msg} instead of a zip: that is an
-- error carrying the text. The zip is kept in memory (a cutout is small),
-- written through the output capability and unpacked with mast's safe
-- extraction (no entry may leave the directory).
local core = require "mast.core"
local O = require "mast.options"

local M = { _NAME = "mast.cutout" }

--- The URL of a service's endpoint: <base_url>/<service>/api/v0.1/<endpoint>?<params>
function M.url(service, endpoint, params)
  local keys, parts = {}, {}
  for k in pairs(params) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local v = params[k]
    local text = type(v) == "number" and O.number_text(v) or tostring(v)
    parts[#parts + 1] = k .. "=" .. core.urlencode(text, "")
  end
  return ("%s/%s/api/v0.1/%s?%s"):format(core.config("base_url"), service, endpoint, table.concat(parts, "&"))
end

--- A validator for a cutout size.
function M.size(v)
  if type(v) ~= "number" and type(v) ~= "table" and type(v) ~= "string" then
    return "pixels, {x, y} or an angle with units"
  end
end

--- Sets p.x, p.y, p.units from a size: pixels (a number or {x, y}), or an
-- angle with units ("2 arcmin", "30 arcsec", "0.1 deg"), sent in degrees.
function M.size_params(fn, size, p)
  size = size or 5
  local x, y, units
  if type(size) == "number" then x, y, units = size, size, "px"
  elseif type(size) == "table" then x, y, units = size[1], size[2], "px"
  elseif type(size) == "string" then
    local n = size:match("^%s*([%d.]+)%s*px%s*$") or size:match("^%s*([%d.]+)%s*$")
    if n and tonumber(n) then x, y, units = tonumber(n), tonumber(n), "px"
    else
      local ok, deg = pcall(require("mast.coords").angle, fn, size, "deg", "size")
      if not ok then
        O.usage(fn, ("size %s: give pixels, {x, y}, or an angle such as '2 arcmin'"):format(O.describe(size)))
      end
      x, y, units = deg, deg, "d"
    end
  end
  if type(x) ~= "number" or type(y) ~= "number" or x <= 0 or y <= 0 then
    O.usage(fn, ("size must be positive, got %s"):format(O.describe(size)))
  end
  p.x, p.y, p.units = x, y, units
end

-- Requests sent to each throttled service: when the last ones finished.
local sent = {}

-- Waits until a request to `service` keeps within `per_second` requests a
-- second, as the service counts them: it sees a request arrive somewhere
-- between its start and its answer, so a new one starts only a second after
-- the per_second-th last one *finished* — true however late the earlier ones
-- arrived (a loaded machine, a slow network), with no margin to guess.
local function throttle(service, per_second)
  local times = sent[service] or {}
  sent[service] = times
  local now = core.now()
  while #times > 0 and now - times[1] >= 1 do table.remove(times, 1) end
  if #times >= per_second then
    core.sleep(1 - (now - times[1]) + 0.001)
    table.remove(times, 1)
  end
  return times
end

--- get(fn, service, url, opts) -> the perform result (raises a mast error with fn)
-- opts: per_second (a rate limit kept by mast), decode ("json"), deadline.
function M.get(fn, service, url, opts)
  local times = opts.per_second and throttle(service, opts.per_second)
  local ok, r = pcall(require("mast.transport").fetch, fn, { url = url, decode = opts.decode, label = service },
    opts)
  if times then times[#times + 1] = core.now() end
  if not ok then error(r, 0) end
  return r
end

--- zip(fn, service, url, dir, opts) -> {{path, size}, ...} the files unpacked into dir
-- (opts as get; opts.name: the zip's file name, kept in dir unless opts.keep_zip == false)
function M.zip(fn, service, url, dir, opts)
  local r = M.get(fn, service, url, opts)
  local body = r.body or ""
  if body:sub(1, 2) ~= "PK" then
    local okj, answer = pcall(core.json_decode, body)
    local msg = okj and type(answer) == "table" and (answer.msg or answer.message or answer.detail)
    error(core.error("mast", ("%s found no cutout: %s"):format(service,
      type(msg) == "string" and msg or ("its answer is not a zip (" .. (r.content_type or "no type") .. ")")),
      { fn = fn, url = url }), 0)
  end
  local zip = dir .. "/" .. opts.name
  local out <close> = core.open_output(zip)
  out:write(body)
  local path = out:commit()
  local files = core.extract(path, core.resolve_path(dir))
  return files, path
end

return M
