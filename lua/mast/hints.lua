--- mast.hints: advice for an error, added by the layer that knows it is true.
-- The C core states facts only (code, message, status, curl_code, url); what
-- a user should do about them depends on who asked. hints.add(err, family)
-- sets err.hint, which tostring(err) shows after the message:
--   "mast"      a MAST API request or a mast: download URI: the token and
--               exclusive-access advice, and the base_url question, are true;
--   "download"  any other URL: only the generic advice (timeout, TLS trust).
local core = require "mast.core"

local M = {}

-- libcurl's codes the advice depends on (CURLcode numbers)
local CURLE_OPERATION_TIMEDOUT = 28
local CURLE_PEER_FAILED_VERIFICATION = 60

local FAMILIES = { mast = true, download = true }

-- Advice true for every family; nil if there is none.
local function generic(e)
  if e.code == "timeout" and e.curl_code == CURLE_OPERATION_TIMEDOUT then
    return "raise mast.config{timeout=...} for a slow server"
  end
  if e.code == "network" and e.curl_code == CURLE_PEER_FAILED_VERIFICATION then
    return "TLS verification refused the server's certificate; if it is right, trust its CA "
      .. "with mast.config{ca_file = ...} or ca_path, or MAST_CA_FILE"
  end
end

-- Advice true only of MAST itself.
local function of_mast(e)
  if e.code == "http" and e.status == 401 and core.config("token") ~= nil then
    return "a MAST token is configured, but it does not give access to this file: it may have expired "
      .. "(mast.session_info() says), or belong to someone who is not on this program's exclusive "
      .. "access list; ask the program's PI, or make a new token at https://auth.mast.stsci.edu/token"
  end
  if e.code == "http" and e.status == 401 then
    return "MAST serves a file in its exclusive access period (proprietary) only with a MAST "
      .. "token that has access to it: export MAST_API_TOKEN=<token> or mast.config{token=...} "
      .. "(create one at https://auth.mast.stsci.edu/token)"
  end
  if e.code == "network" then
    return "is the network up, and is base_url " .. tostring(core.config("base_url")) .. " right?"
  end
end

--- hints.add(err, family) -> err, with err.hint set when there is advice
-- (an err that already has a hint, or is not a mast error, is left alone).
function M.add(err, family)
  assert(FAMILIES[family], "hints.add: family must be \"mast\" or \"download\"")
  if core.is_error(err) and err.hint == nil then
    err.hint = generic(err) or (family == "mast" and of_mast(err)) or nil
  end
  return err
end

return M
