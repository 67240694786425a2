--- mast.help: help() in the REPL, the reference docs and the man page, from one source.
-- The texts are data-only files lua/mast/doc/<area>.lua, each returning a table
-- keyed by the full public name ("mast.caom.cone", "Result:count"):
--   { sig =, summary =, text =, options = { {name =, type =, default =, group =, text =} },
--     returns =, example = }
-- A wrapper made by mast.service.define needs no option list: its options,
-- their types and defaults come from its declaration (the one the call checks),
-- their meaning from the entry or the shared texts of doc/options.lua.
local M = { _NAME = "mast.help" }

-- The doc files: mast's own functions, the methods of results and tables, then
-- one per lazy module (a new module brings lua/mast/doc/<name>.lua), one per
-- loaded mast.<name> module, and these (read when they exist).
local FIXED_AREAS = { "mast", "result", "table", "columnar", "dataset", "ops", "sky", "fits", "plot",
                      "formats" }

-- The option groups, in the order help shows them.
M.GROUPS = { "position", "criteria", "options", "request", "run", "plumbing" }
M.GROUP_TITLES = { position = "position", criteria = "criteria", options = "options", request = "request",
                   run = "how it runs", plumbing = "plumbing (rarely needed)" }
local REQUEST = { pagesize = true, page = true, removenullcolumns = true, format = true }
-- the run and plumbing options: mast.options' sets (its unknown-option error lists them apart too)
local RUN = require("mast.options").RUN
local PLUMBING = require("mast.options").PLUMBING
-- where a position is given, in a function that is not a wrapper
local POSITION = { ra = true, dec = true, target = true, coordinates = true, objectname = true, radius = true,
                   object = true, object_type = true }

local function mast_module()
  return require "mast"
end

--- The names of the lazy modules (mast.caom, ...), sorted.
function M.module_names()
  local lazy = getmetatable(mast_module()).__lazy
  local names = {}
  for k in pairs(lazy) do names[#names + 1] = k end
  table.sort(names)
  return names
end

local function doc_exists(name)
  local mod = "mast.doc." .. name
  if package.loaded[mod] ~= nil then return true end
  -- ask the searchers require uses (the source tree's, the embedded copies, the paths)
  for _, search in ipairs(package.searchers) do
    local loader = search(mod)
    if type(loader) == "function" then return true end
  end
  return false
end

local entries_cache, areas_cache, loaded_count

--- Every entry, keyed by public name (the doc files merged), and the areas read.
function M.entries()
  local loaded = {}
  for name in pairs(package.loaded) do
    local a = type(name) == "string" and name:match("^mast%.([%w_]+)$")
    if a and a ~= "doc" then loaded[#loaded + 1] = a end
  end
  -- read again once more modules are loaded: they may have brought doc files
  if entries_cache and loaded_count == #loaded then return entries_cache, areas_cache end
  loaded_count = #loaded
  table.sort(loaded)
  local all, areas = {}, {}
  local list = {}
  for _, a in ipairs(FIXED_AREAS) do list[#list + 1] = a end
  for _, a in ipairs(M.module_names()) do list[#list + 1] = a end
  for _, a in ipairs(loaded) do list[#list + 1] = a end
  list[#list + 1] = "cli"
  local seen = {}
  for _, area in ipairs(list) do
    if not seen[area] and area ~= "options" and doc_exists(area) then
      seen[area] = true
      areas[#areas + 1] = area
      for name, e in pairs(require("mast.doc." .. area)) do
        e.name, e.area = name, area
        all[name] = e
      end
    end
  end
  entries_cache, areas_cache = all, areas
  return all, areas
end

-- ---------------------------------------------------------------- public names

local function public_fields(t)
  local keys = {}
  for k, v in pairs(t) do
    if type(k) == "string" and k:sub(1, 1) ~= "_" and (type(v) == "function" or
       (type(v) == "table" and getmetatable(v) == nil and not v._NAME)) then
      keys[#keys + 1] = k
    end
  end
  table.sort(keys)
  return keys
end

-- Calls visit(name, function) for each function held by t under prefix (and one level of plain tables).
local function walk(prefix, t, visit, depth)
  for _, k in ipairs(public_fields(t)) do
    local v = t[k]
    if type(v) == "function" then
      visit(prefix .. "." .. k, v)
    elseif depth < 1 then
      walk(prefix .. "." .. k, v, visit, depth + 1)
    end
  end
end

--- Method tables by the name help uses for them ("Result", "Table").
function M.classes()
  return {
    Result = require("mast.result").Result.__index,
    Table = require("mast.columnar").methods,
  }
end

--- Every public function: a sorted list of names and name -> function.
-- only_loaded: look only into modules already loaded (printing must stay cheap).
function M.public(only_loaded)
  local mast = mast_module()
  local names, fns = {}, {}
  local function visit(name, f)
    names[#names + 1] = name
    fns[name] = f
  end
  walk("mast", mast, visit, 0)
  for _, k in ipairs(M.module_names()) do
    local mod = rawget(mast, k) or package.loaded["mast." .. k]
    if mod == nil and not only_loaded then mod = mast[k] end
    if type(mod) == "table" then walk("mast." .. k, mod, visit, 0) end
  end
  -- the methods of results and tables (printing looks only into the classes already loaded)
  local classes = (not only_loaded or (package.loaded["mast.result"] and package.loaded["mast.columnar"]))
    and M.classes() or {
      Result = package.loaded["mast.result"] and package.loaded["mast.result"].Result.__index,
      Table = package.loaded["mast.columnar"] and package.loaded["mast.columnar"].methods,
    }
  for cname, methods in pairs(classes) do
    for k, f in pairs(methods) do
      if type(f) == "function" then visit(cname .. ":" .. k, f) end
    end
  end
  table.sort(names)
  return names, fns
end

--- The public name of a function value (nil if it is none of mast's).
function M.name_of(f, only_loaded)
  local _, fns = M.public(only_loaded)
  for name, g in pairs(fns) do
    if g == f then return name end
  end
  return nil
end

--- The public name of a module table (mast, mast.caom, ...), or nil.
function M.module_name(t)
  local mast = mast_module()
  if t == mast then return "mast" end
  for _, k in ipairs(M.module_names()) do
    if rawget(mast, k) == t then return "mast." .. k end
  end
  return nil
end

-- ---------------------------------------------------------------- options

local VTYPES
local function validator_types()
  if VTYPES then return VTYPES end
  local V = require("mast.options").validators
  VTYPES = {
    [V.number] = "number", [V.positive] = "number > 0", [V.posint] = "integer >= 1",
    [V.concurrency] = "integer", [V.boolean] = "boolean", [V.string] = "string", [V.table] = "table",
    [V.ra] = "number (degrees)", [V.dec] = "number (degrees)", [V.radius] = "number (degrees) | string",
    [V.deadline] = "number (seconds)", [V.progress] = "boolean", [V.cachebreaker] = "string | true",
    [V.format] = "'json' | 'csv' | 'votable'", [V.columns] = "string | {names}",
    [V.size] = "integer (bytes)", [V.callback] = "boolean | function",
    [V.integer_or_digits] = "integer | string of digits", [V.cache] = "false | 'refresh'",
    [V.shard] = "true | {index, count}",
  }
  return VTYPES
end

local function shared_option(name)
  local ok, t = pcall(require, "mast.doc.options")
  return ok and t[name] or nil
end

local function group_of(name, spec, wrapper)
  if not wrapper then
    if POSITION[name] and spec.position ~= false then return "position" end
    if RUN[name] or name == "concurrency" then return "run" end
    if PLUMBING[name] then return "plumbing" end
    if REQUEST[name] then return "request" end
    return "options"
  end
  local s = require "mast.service"
  if s.POSITION[name] and spec.position then return "position" end
  if PLUMBING[name] then return "plumbing" end
  if REQUEST[name] and wrapper then return "request" end
  if RUN[name] then return "run" end
  return wrapper and "criteria" or "options"
end

-- What f (public name `name`) declares it takes: {spec =, known =} for a
-- wrapper, {spec = {}, known =} for a function that declared its options table.
local function declaration(name, f)
  local d = f and require("mast.service").declared[f]
  if d then return d, true end
  local known = name and require("mast.options").declared[name]
  if known then return { spec = {}, known = known }, false end
  return nil
end

--- The options of an entry, each {name, type, default, group, text}: a
-- wrapper's from its declaration (doc texts added), others as the entry lists them.
function M.options(e, f)
  local own = {}
  for _, o in ipairs(e.options or {}) do own[o.name] = o end
  local d, wrapper = declaration(e.name, f)
  if not d then return e.options or {} end
  local spec, list = d.spec, {}
  for name, check in pairs(d.known) do
    local o, shared = own[name] or {}, shared_option(name) or {}
    local default = o.default or shared.default
    local decl = spec.options and spec.options[name]
    if decl and decl.default ~= nil then default = tostring(decl.default) end
    if decl and decl.required then default = "required" end
    if name == "radius" and type(spec.position) == "number" then default = tostring(spec.position) end
    if name == "radius" and type(spec.crossmatch) == "number" then default = tostring(spec.crossmatch) end
    if name == "columns" and type(spec.columns) == "string" then default = ("'%s'"):format(spec.columns) end
    if name == "filters" and spec.filters == "required" then default = "required" end
    list[#list + 1] = {
      name = name, default = default,
      type = o.type or validator_types()[check] or shared.type or "value",
      group = o.group or group_of(name, spec, wrapper),
      text = o.text or shared.text or "",
    }
  end
  local order = {}
  for i, g in ipairs(M.GROUPS) do order[g] = i end
  table.sort(list, function(a, b)
    local ga, gb = order[a.group] or 99, order[b.group] or 99
    if ga ~= gb then return ga < gb end
    return a.name < b.name
  end)
  return list
end

--- The option names a function takes (for completion), sorted; nil if it declares none.
function M.option_names(f)
  local name = M.name_of(f, true)
  local d = declaration(name, f)
  local names = {}
  if d then
    for k in pairs(d.known) do names[#names + 1] = k end
  else
    local e = name and M.entries()[name]
    if not e or not e.options then return nil end
    for _, o in ipairs(e.options) do names[#names + 1] = o.name end
  end
  table.sort(names)
  return names
end

-- ---------------------------------------------------------------- text

local function wrap(text, indent, width)
  local out, line = {}, indent
  for word in tostring(text):gmatch("%S+") do
    if #line > #indent and #line + 1 + #word > width then
      out[#out + 1] = line
      line = indent .. word
    else
      line = (#line > #indent) and (line .. " " .. word) or (line .. word)
    end
  end
  if #line > #indent then out[#out + 1] = line end
  return table.concat(out, "\n")
end
M.wrap = wrap

--- The help text of one entry (f: its function, for declared options).
function M.text_of(e, f)
  local out = { e.sig or e.name, "", wrap(e.summary or "", "  ", 78) }
  if e.text and e.text ~= "" then out[#out + 1] = "" ; out[#out + 1] = wrap(e.text, "  ", 78) end
  local opts = M.options(e, f)
  local group
  for _, o in ipairs(opts) do
    local g = o.group or "options"
    if g ~= group then
      out[#out + 1] = ""
      out[#out + 1] = g == "options" and "Options:" or ("Options, " .. (M.GROUP_TITLES[g] or g) .. ":")
      group = g
    end
    local head = ("  %-18s %s"):format(o.name, o.type or "")
    if o.default then head = head .. "  (default " .. o.default .. ")" end
    out[#out + 1] = head
    if o.text and o.text ~= "" then out[#out + 1] = wrap(o.text, "      ", 78) end
  end
  if e.returns then out[#out + 1] = "" ; out[#out + 1] = "Returns: " .. e.returns end
  if e.example then
    out[#out + 1] = ""
    out[#out + 1] = "Example:"
    for l in (e.example .. "\n"):gmatch("(.-)\n") do out[#out + 1] = "  " .. l end
  end
  return table.concat(out, "\n")
end

--- The overview help() prints.
function M.overview()
  local entries = M.entries()
  local out = {
    ("mast %s: query the MAST astronomy archive (mast.stsci.edu) from Lua."):format(mast_module()._VERSION),
    "",
    wrap("Searches return results that print as grids (r.data[i].column, r:count(), r:columns(), "
      .. "r:show{...}); products and files download with mast.download_products and mast.download.", "  ", 78),
    "",
    "Modules (mast.<name>):",
  }
  for _, k in ipairs(M.module_names()) do
    local e = entries["mast." .. k]
    out[#out + 1] = ("  %-14s %s"):format(k, e and e.summary or "")
  end
  out[#out + 1] = ""
  out[#out + 1] = "Getting help:"
  out[#out + 1] = "  help(mast.caom.cone)    a function: signature, options, returns, example"
  out[#out + 1] = "  help 'mast.caom.cone'   the same, by name; help(r.show) for a method"
  out[#out + 1] = "  help(mast.caom)         what a module holds"
  out[#out + 1] = "  mast.traceback()        where the last error came from"
  out[#out + 1] = "  Tab completes names, fields, options; exit, quit or Ctrl-D leaves."
  return table.concat(out, "\n")
end

--- What a module holds: its functions with their summaries.
function M.module_text(name, t)
  local entries = M.entries()
  local out = {}
  local e = entries[name]
  out[1] = name .. (e and e.summary and (": " .. e.summary) or "")
  if name == "mast" then
    out[#out + 1] = "Modules: " .. table.concat(M.module_names(), ", ")
  end
  out[#out + 1] = "Functions:"
  local keys = public_fields(t)
  for _, k in ipairs(keys) do
    local full = name .. "." .. k
    if type(t[k]) == "function" then
      local fe = entries[full]
      out[#out + 1] = ("  %-28s %s"):format(full, fe and fe.summary or "")
    end
  end
  return table.concat(out, "\n")
end

-- Resolves "mast.caom.cone" or "Result:count" to its entry and function.
local function lookup(name)
  local _, fns = M.public(false)
  local entries = M.entries()
  return entries[name], fns[name]
end

--- The help text for x: nothing (the overview), a name, a function or a module.
function M.text(x)
  if x == nil or x == M then return M.overview() end
  if type(x) == "string" then
    if x == "mast" then return M.module_text("mast", mast_module()) end
    local mod = x:match("^mast%.([%w_]+)$")
    if mod and getmetatable(mast_module()).__lazy[mod] then
      return M.module_text(x, mast_module()[mod])
    end
    local e, f = lookup(x)
    if not e then
      local names = M.public(false)
      local hint = require("mast.options").suggest(x, names)
      return ("no help for '%s'%s"):format(x, hint and (" (did you mean '" .. hint .. "'?)") or "")
    end
    return M.text_of(e, f)
  end
  if x == require("mast.core").null then return M.text_of(M.entries()["mast.null"]) end
  if type(x) == "table" then
    local name = M.module_name(x)
    if name then return M.module_text(name, x) end
    return "help(x): x is a table that is not one of mast's modules; help() lists them"
  end
  if type(x) == "function" then
    local name = M.name_of(x, false)
    if not name then return "a function that is not one of mast's (help() lists mast's modules)" end
    local e = M.entries()[name]
    if not e then return name .. ": (no help entry)" end
    return M.text_of(e, x)
  end
  return ("help(x): x is a %s; give a function, a module or a name such as 'mast.caom.cone'"):format(type(x))
end

--- The one-line description of a function value, for printing it ("function mast.caom.cone: ...").
function M.describe_function(f)
  local ok, name = pcall(M.name_of, f, true)
  if not ok or not name then return nil end
  local e = M.entries()[name]
  return ("function %s%s"):format(name, e and e.summary and (": " .. e.summary) or "")
end

-- ---------------------------------------------------------------- reference and man page

--- The program's settings as {name, env, default, text}, in doc/cli.lua's order: every
-- setting mast has (the C table and config's own; one doc/cli.lua lacks comes last, without text).
function M.settings()
  local core = require "mast.core"
  local cli = M.entries()["mast(1)"] or {}
  local envs = {}
  for _, s in ipairs(core.settings()) do envs[s.name] = s.env end
  for name in pairs(mast_module().config()) do envs[name] = envs[name] or ("MAST_" .. name:upper()) end
  local list, seen = {}, {}
  for _, st in ipairs(cli.settings or {}) do
    if envs[st.name] then
      seen[st.name] = true
      list[#list + 1] = { name = st.name, env = envs[st.name], default = st.default, text = st.text }
    end
  end
  local rest = {}
  for name, env in pairs(envs) do
    if not seen[name] then rest[#rest + 1] = { name = name, env = env } end
  end
  table.sort(rest, function(a, b) return a.env < b.env end)
  for _, st in ipairs(rest) do list[#list + 1] = st end
  return list
end

--- The error codes as {code, text, fields}, from doc/cli.lua (a spec checks them against the C core's list).
function M.errors()
  return (M.entries()["mast(1)"] or {}).errors or {}
end

-- The text without markdown's backticks (for the man page).
local function plain(text)
  return (tostring(text):gsub("`", ""))
end

-- Markdown text for a table cell: | escaped everywhere, < and > outside `code` only
-- (a backslash inside a code span would show).
local function md_escape(text)
  local out, inside = {}, false
  for part, tick in (tostring(text) .. "`"):gmatch("([^`]*)(`?)") do
    out[#out + 1] = inside and part:gsub("|", "\\|") or part:gsub("([|<>])", "\\%1")
    if tick ~= "" then out[#out + 1] = tick; inside = not inside end
  end
  local s = table.concat(out)
  return s:sub(1, #s - 1)
end

local function md_entry(out, e, f)
  out[#out + 1] = "### `" .. e.name .. "`"
  out[#out + 1] = ""
  out[#out + 1] = "`" .. (e.sig or e.name) .. "`"
  out[#out + 1] = ""
  out[#out + 1] = md_escape(e.summary or "")
  if e.text and e.text ~= "" then out[#out + 1] = "" ; out[#out + 1] = md_escape(e.text) end
  local opts = M.options(e, f)
  if #opts > 0 then
    out[#out + 1] = ""
    out[#out + 1] = "| option | group | type | default | meaning |"
    out[#out + 1] = "|---|---|---|---|---|"
    for _, o in ipairs(opts) do
      out[#out + 1] = ("| `%s` | %s | %s | %s | %s |"):format(o.name, M.GROUP_TITLES[o.group] or o.group or "",
        md_escape(o.type or ""), md_escape(o.default or ""), md_escape(o.text or ""))
    end
  end
  if e.returns then out[#out + 1] = "" ; out[#out + 1] = "Returns: " .. md_escape(e.returns) end
  if e.example then
    out[#out + 1] = ""
    out[#out + 1] = "```lua"
    out[#out + 1] = e.example
    out[#out + 1] = "```"
  end
  out[#out + 1] = ""
end

--- docs/reference.md: every entry, by area (generated by scripts/gen-reference).
function M.markdown()
  local names, fns = M.public(false)
  local entries = M.entries()
  -- the values with an entry (mast.null) are documented beside the functions
  local listed = {}
  for _, n in ipairs(names) do listed[n] = true end
  names = { table.unpack(names) }
  for n, e in pairs(entries) do if e.value and not listed[n] then names[#names + 1] = n end end
  table.sort(names)
  local by_area, order = {}, {}
  for _, name in ipairs(names) do
    local e = entries[name]
    local area = e and e.area or "mast"
    if not by_area[area] then by_area[area] = {}; order[#order + 1] = area end
    table.insert(by_area[area], name)
  end
  local out = { "# mast API reference", "",
    "Generated by `scripts/gen-reference` from the help entries (`lua/mast/doc/*.lua`) and the wrappers'",
    "own option declarations: the same text `help(...)` shows in the REPL. Do not edit by hand.", "" }
  local cli = entries["mast(1)"]
  if cli then
    out[#out + 1] = "## The `mast` program"
    out[#out + 1] = ""
    out[#out + 1] = "`" .. cli.sig .. "`: " .. md_escape(cli.summary)
    out[#out + 1] = ""
    out[#out + 1] = "| option | meaning |"
    out[#out + 1] = "|---|---|"
    for _, o in ipairs(cli.options) do out[#out + 1] = ("| `%s` | %s |"):format(o.name, md_escape(o.text)) end
    out[#out + 1] = ""
    out[#out + 1] = "| variable | setting | default | meaning |"
    out[#out + 1] = "|---|---|---|---|"
    for _, st in ipairs(M.settings()) do
      out[#out + 1] = ("| `%s` | `%s` | %s | %s |"):format(st.env, st.name, md_escape(st.default or ""),
        md_escape(st.text or ""))
    end
    for _, v in ipairs(cli.environment) do out[#out + 1] = ("| `%s` | | | %s |"):format(v.name, md_escape(v.text)) end
    out[#out + 1] = ""
    out[#out + 1] = "### Error codes"
    out[#out + 1] = ""
    out[#out + 1] = M.errors_table()
    out[#out + 1] = ""
  end
  for _, area in ipairs(order) do
    local title = area == "mast" and "mast" or area == "result" and "Results and tables" or ("mast." .. area)
    out[#out + 1] = "## " .. title
    out[#out + 1] = ""
    local me = entries["mast." .. area]
    if me then out[#out + 1] = md_escape(me.summary) ; out[#out + 1] = "" end
    for _, name in ipairs(by_area[area]) do
      local e = entries[name] or { name = name, summary = "(no entry)" }
      md_entry(out, e, fns[name])
    end
  end
  return table.concat(out, "\n")
end

--- The README's table of modules (between its "modules:begin/end" markers), made
-- from the same entries: each module's summary, and its functions with the MAST
-- service each wrapper sends (from the wrapper's own declaration).
function M.modules_table()
  local entries = M.entries()
  local declared = require("mast.service").declared
  local mast = mast_module()
  local out = { "| module | what it is for | functions (MAST service) |", "|---|---|---|" }
  for _, k in ipairs(M.module_names()) do
    local mod = mast[k]
    local fns = {}
    for _, name in ipairs(public_fields(mod)) do
      local f = mod[name]
      if type(f) == "function" then
        local d = declared[f]
        local service = d and type(d.spec.service) == "string" and d.spec.service
        fns[#fns + 1] = "`" .. name .. "`" .. (service and (" (" .. service .. ")") or "")
      end
    end
    local me = entries["mast." .. k]
    out[#out + 1] = ("| `mast.%s` | %s | %s |"):format(k, me and me.summary or "", table.concat(fns, ", "))
  end
  return table.concat(out, "\n")
end

--- The README's table of settings (between its "settings:begin/end" markers).
function M.settings_table()
  local out = { "| setting | environment | default | meaning |", "|---|---|---|---|" }
  for _, st in ipairs(M.settings()) do
    out[#out + 1] = ("| `%s` | `%s` | %s | %s |"):format(st.name, st.env, md_escape(st.default or ""),
      md_escape(st.text or ""))
  end
  return table.concat(out, "\n")
end

--- The README's table of error codes (between its "errors:begin/end" markers).
function M.errors_table()
  local out = { "| code | when | extra fields |", "|---|---|---|" }
  for _, x in ipairs(M.errors()) do
    out[#out + 1] = ("| `%s` | %s | %s |"):format(x.code, md_escape(x.text), x.fields or "")
  end
  return table.concat(out, "\n")
end

local function roff(text)
  text = tostring(text):gsub("\\", "\\e"):gsub("%-", "\\-")
  return (text:gsub("\n([.'])", "\n\\&%1"):gsub("^([.'])", "\\&%1"))
end

--- mast(1) in man(7) format (generated by scripts/gen-reference).
function M.man()
  local e = M.entries()["mast(1)"]
  local out = {
    '.TH MAST 1 "" "mast ' .. mast_module()._VERSION .. '" "User Commands"',
    ".SH NAME", "mast \\- " .. roff(e.summary),
    ".SH SYNOPSIS", ".B mast", "[\\fIoptions\\fR] [\\fIscript\\fR [\\fIargs\\fR]]",
    ".SH DESCRIPTION", roff(e.text),
    ".SH OPTIONS",
  }
  for _, o in ipairs(e.options) do
    out[#out + 1] = ".TP"
    out[#out + 1] = ".B " .. roff(o.name)
    out[#out + 1] = roff(o.text)
  end
  out[#out + 1] = ".SH ENVIRONMENT"
  out[#out + 1] = "Each setting of mast.config() is read from its variable at start (unless \\-E)."
  for _, st in ipairs(M.settings()) do
    out[#out + 1] = ".TP"
    out[#out + 1] = ".B " .. roff(st.env)
    out[#out + 1] = roff(plain((st.text or "") .. (st.default and (" Default: " .. st.default .. ".") or "")
      .. " (setting " .. st.name .. ")"))
  end
  for _, v in ipairs(e.environment) do
    out[#out + 1] = ".TP"
    out[#out + 1] = ".B " .. roff(v.name)
    out[#out + 1] = roff(v.text)
  end
  out[#out + 1] = ".SH FILES"
  for _, f in ipairs(e.files) do
    out[#out + 1] = ".TP"
    out[#out + 1] = ".I " .. roff(f.name)
    out[#out + 1] = roff(f.text)
  end
  out[#out + 1] = ".SH EXIT STATUS"
  out[#out + 1] = roff(e.exit)
  out[#out + 1] = ".SH EXAMPLES"
  for _, x in ipairs(e.examples) do
    out[#out + 1] = ".PP"
    out[#out + 1] = roff(x.text)
    out[#out + 1] = ".PP"
    out[#out + 1] = ".nf"
    out[#out + 1] = ".RS"
    out[#out + 1] = roff(x.code)
    out[#out + 1] = ".RE"
    out[#out + 1] = ".fi"
  end
  out[#out + 1] = ".SH SEE ALSO"
  out[#out + 1] = "lua(1); in mast, help() and the API reference (docs/reference.md)."
  return table.concat(out, "\n") .. "\n"
end

-- help is callable (help(x) returns the text as a printable value) and prints the overview itself.
local Text = { __name = "mast.help.text", __tostring = function(t) return t[1] end }
setmetatable(M, {
  __call = function(_, x) return setmetatable({ M.text(x) }, Text) end,
  __tostring = function() return M.overview() end,
})

return M
