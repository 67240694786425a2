--- mast.cloud: where MAST's public files sit in its S3 bucket (stpubdata), from MAST's
-- path_lookup service (protocol doc §5.3), and HTTPS URLs for them (the cloud_url setting;
-- anonymous: no token ever goes there).
local core = require "mast.core"
local O = require "mast.options"

local M = { _NAME = "mast.cloud" }

M.BUCKET = "stpubdata"
local BATCH = 40   -- uris a request, as astroquery sends them (a longer URL risks a 414)

-- Whether a product row is in an exclusive access period: such files never go to the cloud path.
function M.exclusive(row)
  local rights = type(row) == "table" and row.dataRights
  return type(rights) == "string" and rights:upper() ~= "PUBLIC"
end

--- uris(rows_or_uris [, opts]) -> list parallel to the input: {uri, s3 = "s3://stpubdata/...",
-- url = <cloud_url>/<key>} or {uri, reason = "..."} for a file the bucket does not hold (or an
-- exclusive-access product, which is never looked up). opts: deadline.
function M.uris(list, opts)
  local fn = "mast.cloud_uris"
  opts = opts or {}
  if type(list) == "table" and type(list.data) == "table" then list = list.data end
  if type(list) ~= "table" then O.usage(fn, "expected products (a result, rows, or mast: URIs)") end
  local out, ask = {}, {}
  for i, x in ipairs(list) do
    local uri = type(x) == "string" and x or type(x) == "table" and x.dataURI or nil
    if uri == core.null then uri = nil end
    out[i] = { uri = uri }
    if type(uri) ~= "string" or not uri:match("^mast:") then
      out[i].reason = "no mast: dataURI"
    elseif M.exclusive(x) then
      out[i].reason = "exclusive access: only MAST serves it, with a token"
    else
      ask[#ask + 1] = i
    end
  end
  local specs, batches = {}, {}
  local base = core.config("base_url")
  for start = 1, #ask, BATCH do
    local q, batch = {}, {}
    for j = start, math.min(start + BATCH - 1, #ask) do
      batch[#batch + 1] = ask[j]
      q[#q + 1] = "uri=" .. core.urlencode(out[ask[j]].uri, "")
    end
    q[#q + 1] = "use_cloud_path=True"
    specs[#specs + 1] = { url = base .. "/api/v0.1/path_lookup/?" .. table.concat(q, "&"), decode = "json",
                          label = "path_lookup" }
    batches[#batches + 1] = batch
  end
  if #specs == 0 then return out end
  local ok, rs = pcall(require("mast.record").perform, specs, { deadline = opts.deadline })
  if not ok then error(O.within(fn, rs), 0) end
  local cloud = require("mast.config").get("cloud_url")
  for b, r in ipairs(rs) do
    if not r.ok then error(O.within(fn, r.error), 0) end
    if r.json_error or type(r.value) ~= "table" then
      error(O.within(fn, r.json_error or core.error("json", "path_lookup answered without a JSON object")), 0)
    end
    for _, i in ipairs(batches[b]) do
      local e = out[i]
      local a = r.value[e.uri]
      if type(a) == "table" and a.status_code == 200 and type(a.path) == "string" and a.path:match("^/.") then
        e.s3 = "s3://" .. M.BUCKET .. a.path
        e.url = cloud .. a.path
      else
        e.reason = type(a) == "table" and ("not in the public bucket (path_lookup: " .. tostring(a.status_code) .. ")")
          or "path_lookup did not answer for it"
      end
    end
  end
  return out
end

return M
