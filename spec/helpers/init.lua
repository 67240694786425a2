--- Helpers shared by the specs (loaded by busted through .busted).
-- Integration specs need the sandbox server: run them through
-- sandbox/with-sandbox, which sets MAST_BASE_URL and MAST_SANDBOX_URL.
local H = {}
_G.H = H

local function cwd()
  local p = io.popen("pwd")
  local d = p:read("l")
  p:close()
  return d
end
H.root = os.getenv("MAST_SOURCE_DIR") or cwd()
H.bin = os.getenv("MAST_BIN") or (H.root .. "/build/mast")
H.fixtures = H.root .. "/sandbox/fixtures/mast-recorded"

function H.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

function H.write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

function H.fixture(name)
  return H.read(H.fixtures .. "/" .. name)
end

-- The recorded column configurations by colConfigId (fixtures README).
local CONFIGS = { ["Mast.Caom.Cone"] = "columnsconfig.json", ["Mast.Catalogs.Tess.Cone"] = "ticcolumns.json",
                  ["Mast.Catalogs.Dd.Cone"] = "ddcolumns.json" }

--- Replaces mast.transport.fetch for columnsconfig requests with the recorded
-- answers (offline specs); returns the list of ids fetched and a restore function.
function H.fake_columns()
  local transport = require "mast.transport"
  local real, fetched = transport.fetch, {}
  transport.fetch = function(fn, spec, opts)
    if not spec.url:match("/columnsconfig$") then return real(fn, spec, opts) end
    local id = spec.body:match("^colConfigId=(.*)$")
      :gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end)
    fetched[#fetched + 1] = id
    return { ok = true, status = 200, body = CONFIGS[id] and H.fixture("astroquery-main/" .. CONFIGS[id]) or "" }
  end
  return fetched, function() transport.fetch = real end
end

function H.tmpname()
  local n = os.tmpname()
  os.remove(n)
  return n
end

function H.tmpdir()
  local d = H.tmpname()
  assert(os.execute("mkdir -p '" .. d .. "'"))
  return d
end

--- For a describe block whose tests each work in a new directory: before each
-- test, resets the sandbox and makes the directory, handing it to set(dir);
-- after each, runs cleanup(dir) if given, then removes the directory (with
-- write permission restored first, so read-only parts go too).
function H.dir_each(set, cleanup)
  local busted = require "busted"   -- its API: this file's globals are not the spec's
  local dir
  busted.before_each(function()
    H.reset()
    dir = H.tmpdir()
    set(dir)
  end)
  busted.after_each(function()
    if cleanup then cleanup(dir) end
    os.execute("chmod -R u+rwx " .. H.quote(dir) .. " 2>/dev/null; rm -rf " .. H.quote(dir))
  end)
end

local function sh_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end
H.quote = sh_quote

--- Runs a shell command; returns exit code, stdout, stderr.
function H.sh(cmd, stdin)
  local out, err, inp = H.tmpname(), H.tmpname(), nil
  local full = cmd
  if stdin then
    inp = H.tmpname()
    H.write(inp, stdin)
    full = full .. " <" .. sh_quote(inp)
  else
    full = full .. " </dev/null"
  end
  full = full .. " >" .. sh_quote(out) .. " 2>" .. sh_quote(err)
  local ok, _, code = os.execute(full)
  local o, e = H.read(out), H.read(err)
  os.remove(out)
  os.remove(err)
  if inp then os.remove(inp) end
  return ok and 0 or code, o, e
end

--- A dataset {fields, data} from {{name, type}, ...} and rows.
function H.dataset(fields, rows)
  local f = {}
  for i, p in ipairs(fields) do f[i] = { name = p[1], type = p[2] } end
  return { fields = f, data = rows }
end

--- Same value and same Lua type (an integer stays an integer, NaN is NaN, tables
-- compare by their JSON); a missing value counts as null.
function H.same_value(a, b)
  local null = require("mast.core").null
  if a == nil then a = null end
  if math.type(a) ~= math.type(b) or type(a) ~= type(b) then return false end
  if a ~= a then return b ~= b end
  if type(a) == "table" then
    local encode = require("mast.core").json_encode
    return encode(a) == encode(b)
  end
  return a == b
end

--- Asserts that got holds exactly x's fields (names, types) and values; with
-- expect, each of x's values v in a column of type t is compared as expect(v, t)
-- (what a format makes of it).
function H.assert_same_dataset(x, got, label, expect)
  local assert = require "luassert"
  assert.equal(#x.fields, #got.fields, label)
  for i, f in ipairs(x.fields) do
    assert.equal(f.name, got.fields[i].name, label)
    assert.equal(f.type, got.fields[i].type, label .. ": the type of " .. f.name)
  end
  assert.equal(#x.data, #got.data, label)
  for r, row in ipairs(x.data) do
    for _, f in ipairs(x.fields) do
      local a, b = row[f.name], got.data[r][f.name]
      if expect then a = expect(a, f.type) end
      if not H.same_value(a, b) then
        error(("%s: row %d, %s: %s (%s) came back as %s (%s)"):format(label, r, f.name, tostring(a),
          math.type(a) or type(a), tostring(b), math.type(b) or type(b)))
      end
    end
  end
end

--- Runs the mast program (with args) in a pseudo-terminal through
-- spec/tools/pty_session.py, the steps as it takes them, with env; returns
-- the exit code, the output (CRLF as LF) and stderr.
function H.pty(steps, args, env)
  local file = H.tmpname()
  H.write(file, require("mast.core").json_encode(steps))
  local vars = {}
  for k, v in pairs(env or {}) do vars[#vars + 1] = k .. "=" .. sh_quote(v) end
  local cmd = { sh_quote(H.bin) }
  for _, a in ipairs(args or {}) do cmd[#cmd + 1] = sh_quote(a) end
  local code, out, err = H.sh(table.concat(vars, " ") .. " python3 "
    .. sh_quote(H.root .. "/spec/tools/pty_session.py") .. " " .. sh_quote(file) .. " -- " .. table.concat(cmd, " "))
  os.remove(file)
  return code, (out:gsub("\r\n", "\n")), err
end

--- The content of a URI as a clean download gives it (to compare against),
-- fetched through dir.
function H.fresh_copy(uri, dir)
  local path = dir .. "/reference.bin"
  require("mast").download(uri, path, { overwrite = true })
  local data = H.read(path)
  os.remove(path)
  return data
end

--- A prerequisite this machine lacks (a mount, a tool): the test is pending
-- here (pending: the spec's own, which marks the running test), but under
-- scripts/test (MAST_TEST_STRICT) it fails, as CI installs everything and
-- nothing may quietly not run.
function H.missing(why, pending)
  if os.getenv("MAST_TEST_STRICT") then error("missing prerequisite: " .. why, 2) end
  pending(why)
end

--- Runs the mast program with the given arguments (a list, quoted for the shell).
function H.mast(args, stdin, env)
  local parts = {}
  for k, v in pairs(env or {}) do parts[#parts + 1] = k .. "=" .. sh_quote(v) end
  parts[#parts + 1] = sh_quote(H.bin)
  for _, a in ipairs(args or {}) do parts[#parts + 1] = sh_quote(a) end
  return H.sh(table.concat(parts, " "), stdin)
end

-- ---- the sandbox's control API ----

H.sandbox = os.getenv("MAST_SANDBOX_URL")

local function control(method, path, body)
  assert(H.sandbox, "MAST_SANDBOX_URL is not set: run this spec through sandbox/with-sandbox")
  local core = require "mast.core"
  local r = core.request({ method = method, url = H.sandbox .. "/__sandbox/" .. path,
                           body = body, content_type = "application/json", retry = false })
  return r.body and #r.body > 0 and core.json_decode(r.body) or nil
end

--- Resets the sandbox (log, faults, jobs, settings) and mast's own settings.
function H.reset()
  control("POST", "reset", "{}")
  local core = require "mast.core"
  core.config("base_url", os.getenv("MAST_BASE_URL"))
  core.config("token", nil)
  core.config("retry_delay", 0.05)
  core.config("retries", 3)
  core.config("timeout", 60)
  require("mast.config").config { deadline = 600, progress = "off" }   -- Lua's own settings
end

--- Adds fault rules, e.g. H.faults{{kind = "status", status = 503, times = 2}}.
function H.faults(rules)
  local core = require "mast.core"
  return control("POST", "faults", core.json_encode({ faults = rules }))
end

function H.settings(t)
  local core = require "mast.core"
  return control("POST", "settings", core.json_encode(t))
end

--- The requests the sandbox received since the last reset (control calls excluded).
function H.requests()
  local r = control("GET", "requests")
  return r.requests or r
end

--- The logged invoke requests only.
function H.invokes()
  local out = {}
  for _, r in ipairs(H.requests()) do
    if r.path:match("/api/v0/invoke") then out[#out + 1] = r end
  end
  return out
end

--- Asserts that f raises a mast error with this code; returns the error.
function H.raises(code, f, ...)
  local ok, e = pcall(f, ...)
  assert(not ok, "expected an error with code '" .. code .. "', but the call succeeded")
  local core = require "mast.core"
  assert(core.is_error(e), "expected a mast error object, got: " .. tostring(e))
  assert(e.code == code, ("expected code '%s', got '%s': %s"):format(code, tostring(e.code), tostring(e)))
  return e
end

return H
