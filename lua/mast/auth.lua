--- mast.auth: who MAST takes you for (protocol doc §9).
--   mast.login([token]) -> info     checks the token against MAST's /whoami, and keeps it
--   mast.session_info() -> info     what MAST says about the configured token (or none)
-- info = {user (MAST's ezid), name, email, eppn, scopes = {...}, exclusive_access (bool),
--         anonymous (bool), expires (when MAST says; nil otherwise), whoami = <MAST's answer>}
local core = require "mast.core"
local O = require "mast.options"

local M = { _NAME = "mast.auth" }

local function whoami(fn, opts)
  local url = core.config("base_url") .. "/whoami"
  local r = require("mast.transport").fetch(fn, { url = url, decode = "json", label = "whoami",
    headers = { "Accept: application/json" } }, opts)
  local a = r.value
  if type(a) ~= "table" then
    error(core.error("json", fn .. ": MAST's /whoami answered without a JSON object", { fn = fn }), 0)
  end
  local attrib = type(a.attrib) == "table" and a.attrib or {}
  local scopes = {}
  local exclusive = false
  for i, s in ipairs(type(a.scopes) == "table" and a.scopes or {}) do
    scopes[i] = s
    if s == "mast:exclusive_access" then exclusive = true end
  end
  local function str(v) return type(v) == "string" and v or nil end
  return { user = str(a.ezid), name = str(attrib.display_name), email = str(attrib.email), eppn = str(a.eppn),
           scopes = scopes, exclusive_access = exclusive, anonymous = a.anon == true or a.anon == nil,
           -- [INFERRED] the documented whoami shape has no expiry; a field of that name is passed on
           expires = str(a.expires or attrib.expires), whoami = a }
end

local RUN = { deadline = O.validators.deadline, progress = O.validators.progress }

--- mast.login([token [, opts]]) -> info
-- With a token: it becomes the `token` setting, then MAST is asked who it belongs to. A token
-- MAST does not accept is not kept (mast goes on with no token) and is an error ("mast")
-- saying so. Without one: the configured token (MAST_API_TOKEN) is checked.
function M.login(token, opts)
  local fn = "mast.login"
  opts = O.options(fn, opts, RUN)
  if token ~= nil then
    if type(token) ~= "string" or not token:match("^%S+$") then
      O.usage(fn, "token must be a MAST token (a string without spaces; make one at https://auth.mast.stsci.edu/token)")
    end
    core.config("token", token)
  elseif core.config("token") == nil then
    O.usage(fn, "no token given and none configured: mast.login(<token>) or export MAST_API_TOKEN=<token> "
      .. "(make one at https://auth.mast.stsci.edu/token)")
  end
  local info = whoami(fn, opts)
  if info.anonymous then
    if token ~= nil then core.config("token", false) end
    error(core.error("mast", "the token given was not accepted by MAST (it may have expired or been revoked); "
      .. (token ~= nil and "it was not kept: mast has no token now. " or "")
      .. "Make a new one at https://auth.mast.stsci.edu/token", { fn = fn, anonymous = true }), 0)
  end
  return info
end

--- mast.session_info([opts]) -> info: what MAST says about the configured token (anonymous = true
-- with none, or with one MAST does not accept).
function M.session_info(opts)
  return whoami("mast.session_info", O.options("mast.session_info", opts, RUN))
end

return M
