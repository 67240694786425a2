-- Finding your way (issue 14 §2, §3): help from one source, the reference and
-- the man page made from it, completion, the REPL's printing and errors, the grid.
local core = require "mast.core"

-- ---------------------------------------------------------------- the pty REPL

local function session(steps, env) return H.pty(steps, nil, env) end

-- Types each line once the prompt shows, then Ctrl-D.
local function typed(lines, env, last)
  local steps = { { expect = "mast> " } }
  for _, l in ipairs(lines) do
    steps[#steps + 1] = { send = l .. "\r" }
    steps[#steps + 1] = { expect = "mast> ", timeout = 60 }
  end
  steps[#steps + 1] = last or { close = true }
  local e = { MAST_HISTFILE = H.tmpname(), MAST_BASE_URL = os.getenv("MAST_BASE_URL") }
  for k, v in pairs(env or {}) do e[k] = v end
  local code, out = session(steps, e)
  os.remove(e.MAST_HISTFILE)
  return code, out
end

describe("help", function()
  local help = require "mast.help"
  local mast = require "mast"

  it("gives an overview: what mast is, its modules, how to get help on one", function()
    local text = tostring(help())
    assert.matches("MAST astronomy archive", text, 1, true)
    assert.matches("Modules", text, 1, true)
    for _, m in ipairs { "caom", "catalogs", "tesscut", "observations" } do
      assert.matches("\n  " .. m .. " ", text, 1, true)
    end
    assert.matches("help(mast.caom.cone)", text, 1, true)
    assert.equal(text, tostring(help))   -- `help` alone prints the same
  end)

  it("explains a wrapper: signature, options grouped with types and defaults, returns, example", function()
    local text = tostring(help(mast.caom.cone))
    assert.equal(text, tostring(help "mast.caom.cone"))
    assert.matches("^mast%.caom%.cone{ra =", text)
    assert.matches("Options, position:\n  coordinates", text, 1, true)
    assert.matches("  radius%s+number %(degrees%) | string  %(default 0%.2%)", text)
    assert.matches("Options, criteria:\n  exclude_hla", text, 1, true)
    assert.matches("Returns: ", text, 1, true)
    assert.matches("Example:\n  local r = mast.caom.cone", text, 1, true)
    -- plumbing stands apart from the science options
    local science, plumbing = text:match("^(.-)Options, plumbing[^\n]*\n(.-)\n\n")
    assert.truthy(science, text)
    for _, p in ipairs { "cachebreaker", "max_bytes", "clearcache", "removecache" } do
      assert.matches("  " .. p .. " ", plumbing, 1, true)
      assert.not_matches("\n  " .. p .. " ", science, 1, true)
    end
  end)

  it("reads a wrapper's options from its declaration: every option the call accepts, none it refuses", function()
    local declared = require("mast.service").declared[mast.catalogs.galex_cone]
    assert.truthy(declared)
    local text = tostring(help(mast.catalogs.galex_cone))
    for name in pairs(declared.known) do assert.matches("\n  " .. name .. " ", text, 1, true) end
    assert.matches("maxrecords", text, 1, true)
    assert.matches("(default 0.02)", tostring(help(mast.catalogs.tic_cone)), 1, true)
    assert.matches("filters%s+table  %(default required%)", tostring(help(mast.caom.filtered)))
  end)

  it("lists the options a function declared with mast.options.declare, each with its meaning", function()
    help.public(false)   -- loads every module, so that each has declared its options
    local declared = require("mast.options").declared
    assert.truthy(declared["mast.download_products"] and declared["mast.query_all"])
    for name, known in pairs(declared) do
      local e = help.entries()[name]
      assert.truthy(e, "no entry for " .. name)
      local text = help.text(name)
      for opt in pairs(known) do assert.matches("\n  " .. opt .. " ", text, 1, true) end
    end
    assert.matches("  flat%s+boolean\n%s+Write <dir>/<productFilename>", help.text("mast.download_products"))
  end)

  it("explains methods, by value and by name, and suggests a misspelt name", function()
    local r = require("mast.result").wrap({ fields = {}, data = {} }, "X")
    assert.matches("^r:count%(%)", tostring(help(r.count)))
    assert.matches("^r:show{columns", tostring(help "Result:show"))
    assert.matches("did you mean 'mast.caom.cone'", tostring(help "mast.caom.con"), 1, true)
    assert.matches("Functions:\n  mast.caom.cone ", tostring(help(mast.caom)), 1, true)
  end)

  -- Whether a signature shows an options table: `f{`, `f({`, `f(x [, {` or an `opts` argument.
  local function takes_options(sig)
    local args = sig:match("^[^%({]*(.-)%s*%->") or sig
    return args:find("opts", 1, true) or args:find("^{") or args:find("[%(,%[]%s*{") ~= nil
  end

  it("has an entry for every public function: signature, summary, returns, example, and its options", function()
    local names, fns = help.public(false)
    local entries = help.entries()
    local missing, bad = {}, {}
    for _, name in ipairs(names) do
      local e = entries[name]
      if not e then missing[#missing + 1] = name
      else
        local why = {}
        if type(e.sig) ~= "string" or type(e.summary) ~= "string" or e.summary == "" or e.summary:find("\n") then
          why[#why + 1] = "sig/summary"
        end
        if type(e.returns) ~= "string" or e.returns == "" then why[#why + 1] = "no returns" end
        if type(e.example) ~= "string" or e.example == "" then why[#why + 1] = "no example" end
        -- a function that takes options (its declaration, or its signature, says so) lists them,
        -- each with its meaning; no_options says why a table argument is not options
        local opts = help.options(e, fns[name])
        local declared = require("mast.service").declared[fns[name]] or require("mast.options").declared[name]
        if (declared or (takes_options(e.sig or "") and not e.no_options)) and #opts == 0 then
          why[#why + 1] = "takes options but lists none"
        end
        for _, o in ipairs(opts) do
          if type(o.text) ~= "string" or o.text == "" then why[#why + 1] = "option " .. o.name .. " has no text" end
        end
        if #why > 0 then bad[#bad + 1] = name .. ": " .. table.concat(why, ", ") end
      end
    end
    assert.same({}, missing)
    assert.same({}, bad)
    assert.truthy(#names > 100)
    -- the methods of results and tables, and the lazy modules' functions, are walked too
    local set = {}
    for _, n in ipairs(names) do set[n] = true end
    assert.truthy(set["Result:show"] and set["Table:row"] and set["mast.tesscut.sectors"] and set["mast.json.encode"])
  end)

  it("has examples that are Lua and option lists in the documented shape", function()
    for name, e in pairs(help.entries()) do
      if e.example then assert.truthy(load(e.example, "=" .. name), name .. ": its example does not compile") end
      for _, o in ipairs(e.options or {}) do
        assert.is_string(o.name, name)
        assert.is_string(o.text, name .. " " .. o.name)
      end
    end
  end)

  it("groups a plain function's options under 'Options:', its run options apart", function()
    local text = help.text("mast.download")
    assert.not_matches("Options, options:", text, 1, true)
    assert.matches("\nOptions:\n  overwrite ", text, 1, true)
    assert.matches("\nOptions, how it runs:\n  deadline%s+number %(seconds%)  %(default none%)", text)
    assert.matches("Options, position:\n  dec ", help.text("mast.tesscut.cutouts"), 1, true)
    -- one default for query_all's pages, the one its text gives
    assert.matches("concurrency%s+integer  %(default 4%)", help.text("mast.query_all"))
  end)

  it("explains mast.null: how it compares and sorts", function()
    local text = tostring(help(mast.null))
    assert.equal(text, help.text("mast.null"))
    assert.matches("^mast%.null\n", text)
    assert.matches("orders after every", text, 1, true)
    assert.matches("Example:", text, 1, true)
  end)

  it("lists the science options of an unknown-option error first, how it runs and plumbing apart", function()
    local _, err = pcall(mast.hsc.cone, { ra = 1, dec = 2, frobnicate = 1 })
    assert.equal("usage", err.code)
    assert.matches("unknown option 'frobnicate' (known: coordinates, dec, format, magtype, ni, nr, page, pagesize, "
      .. "ra, radius, removenullcolumns, target, version; how it runs: all, cache, deadline, max_rows, progress; "
      .. "plumbing: cachebreaker, clearcache, concurrency, max_bytes, params, removecache, timeout)",
      err.message, 1, true)
    _, err = pcall(mast.tesscut.cutouts, { ra = 1, dec = 2, sise = 5, dir = "x" })
    assert.matches("unknown option 'sise' (did you mean 'size'?)", err.message, 1, true)
  end)

  it("names a function and its summary, and lists a module with its lazy modules", function()
    assert.equal("function mast.caom.cone: Mast.Caom.Cone: the observations within radius degrees.",
      help.describe_function(mast.caom.cone))
    -- a method value prints as help names it, also in a fresh process (mast.columnar not loaded)
    local r = require("mast.result").wrap({ fields = {}, data = {} }, "X")
    assert.equal("function Result:count: " .. help.entries()["Result:count"].summary, help.describe_function(r.count))
    local code, out = H.mast({ "-e",
      'local r = mast.caom and require("mast.result").wrap({fields = {}, data = {}}, "X"); '
      .. 'require("mast.repl").show(r.count, mast.json.encode)' })
    assert.equal(0, code)
    assert.equal("function Result:count: " .. help.entries()["Result:count"].summary .. "\tfunction mast.json.encode: "
      .. help.entries()["mast.json.encode"].summary .. "\n", out)
    local text = help.module_text("mast", mast)
    assert.matches("Modules: cache, caom, catalogs", text, 1, true)
    assert.matches("  mast.query ", text, 1, true)
  end)
end)

describe("the reference and the man page", function()
  local function gen(what)
    local code, out, err = H.mast({ H.root .. "/scripts/gen-reference", what })
    assert.equal(0, code, err)
    return out
  end

  it("docs/reference.md is what scripts/gen-reference makes (regenerate it when this fails)", function()
    local committed = H.read(H.root .. "/docs/reference.md")
    assert.truthy(committed == gen("reference"), "docs/reference.md is stale: run build/mast scripts/gen-reference")
  end)

  it("README.md's table of modules is what scripts/gen-reference makes, with a summary for every module", function()
    local readme = H.read(H.root .. "/README.md")
    local table_now = readme:match("<!%-%- modules:begin [^\n]*%-%->\n(.-)\n<!%-%- modules:end %-%->")
    assert.truthy(table_now, "README.md lost its modules:begin/end markers")
    assert.truthy(table_now .. "\n" == gen("modules"),
      "README.md's table of modules is stale: run build/mast scripts/gen-reference")
    local help = require "mast.help"
    local entries, missing = help.entries(), {}
    for _, k in ipairs(help.module_names()) do
      local e = entries["mast." .. k]
      if not (e and type(e.summary) == "string" and e.summary ~= "") then missing[#missing + 1] = "mast." .. k end
    end
    assert.same({}, missing)
  end)

  it("README.md's tables of settings and of error codes are what scripts/gen-reference makes", function()
    local readme = H.read(H.root .. "/README.md")
    for _, what in ipairs { "settings", "errors" } do
      local now = readme:match("<!%-%- " .. what .. ":begin [^\n]*%-%->\n(.-)\n<!%-%- " .. what .. ":end %-%->")
      assert.truthy(now, "README.md lost its " .. what .. ":begin/end markers")
      assert.truthy(now .. "\n" == gen(what),
        "README.md's table of " .. what .. " is stale: run build/mast scripts/gen-reference")
    end
  end)

  it("documents every error code the C core has (src/core/ctx.c), and every code a Lua module raises", function()
    local documented = {}
    for _, x in ipairs(require("mast.help").errors()) do documented[x.code] = true end
    local ctx = H.read(H.root .. "/src/core/ctx.c")
    local names = ctx:match("#define CODE_NAMES%(X%)(.-)\n\n")
    assert.truthy(names)
    local n = 0
    for code in names:gmatch('X%(%u+, "([%w_]+)"%)') do
      if code ~= "ok" then
        n = n + 1
        assert.truthy(documented[code], "the error code '" .. code .. "' has no row in lua/mast/doc/cli.lua")
      end
    end
    assert.truthy(n >= 14)
    local _, out = H.sh("grep -rhoE 'core\\.error\\(\"[a-z_]+\"' " .. H.quote(H.root .. "/lua/mast"))
    for code in out:gmatch('"([a-z_]+)"') do
      assert.truthy(documented[code], "the error code '" .. code .. "' has no row in lua/mast/doc/cli.lua")
    end
  end)

  it("man/mast.1 is what scripts/gen-reference makes, and renders without warnings", function()
    local committed = H.read(H.root .. "/man/mast.1")
    assert.truthy(committed == gen("man"), "man/mast.1 is stale: run build/mast scripts/gen-reference")
    local code, _, err = H.sh("groff -man -ww -z " .. H.quote(H.root .. "/man/mast.1"))
    assert.equal(0, code)
    assert.equal("", err)
    code, _, err = H.sh("MANWIDTH=80 man --warnings -l " .. H.quote(H.root .. "/man/mast.1"))
    assert.equal(0, code)
    assert.equal("", err)
  end)

  it("documents every option `mast --help` lists and every setting's variable", function()
    local _, usage = H.mast({ "--help" })
    local cli = require("mast.help").entries()["mast(1)"]
    local documented = {}
    for _, o in ipairs(cli.options) do
      for flag in o.name:gmatch("%-%-?[%w]*") do documented[flag] = true end
    end
    local n = 0
    for flag in usage:gmatch("\n  (%-%-?[%w]*)") do
      n = n + 1
      assert.truthy(documented[flag], "mast(1) does not document " .. flag)
    end
    assert.truthy(n >= 9)
    for _, s in ipairs(require("mast.help").settings()) do
      assert.is_string(s.text, "no text for the setting " .. s.name .. " in lua/mast/doc/cli.lua")
      assert.is_string(s.default, "no default for the setting " .. s.name .. " in lua/mast/doc/cli.lua")
    end
    -- the numeric defaults the docs give are the ones mast has (without the environment: -E)
    local code, defaults = H.mast({ "-E", "-e", "for k, v in pairs(mast.config()) do print(k, v) end" })
    assert.equal(0, code)
    local real = {}
    for k, v in defaults:gmatch("([%w_]+)\t([^\n]*)") do real[k] = v end
    for _, s in ipairs(require("mast.help").settings()) do
      local d = tonumber(s.default)
      if d then assert.equal(d, tonumber(real[s.name]), "the default of " .. s.name) end
    end
  end)
end)

describe("completion", function()
  local repl = require "mast.repl"
  local mast = require "mast"
  local env = { mast = mast, print = print, pairs = pairs, string = string,
                r = require("mast.result").wrap({ fields = { { name = "obs_id", type = "string" },
                  { name = "obsid", type = "string" } }, data = { { obs_id = "hst_1", obsid = "2" } } }, "S") }

  local function complete(line) return (repl.complete(line, #line, env)) end

  it("completes globals and keywords", function()
    assert.same({ "print" }, complete("pri"))
    assert.same({ "function" }, complete("x = func"))
  end)

  it("completes fields after '.', lazy modules included", function()
    assert.same({ "mast.cache", "mast.caom", "mast.catalogs" }, complete("mast.ca"))
    assert.same({ "mast.tesscut.cutouts", "mast.tesscut.sectors" }, complete("mast.tesscut."))
    assert.same({ "string.format" }, complete("string.form"))
  end)

  it("completes methods after ':' for results and tables", function()
    assert.same({ "r:columns", "r:count" }, complete("r:co"))
    local t = mast.json2table(env.r)
    env.t = t
    assert.same({ "t:row", "t:rows" }, complete("t:ro"))
  end)

  it("completes option names inside a wrapper's {...}, not values", function()
    assert.same({ "deadline", "dec" }, complete("mast.caom.cone{ra = 1, de"))
    assert.same({ "exclude_hla" }, complete("x = mast.caom.cone({exclude_h"))
    assert.same({ "obsid" }, complete("mast.caom.products{obs"))
    assert.same({}, complete("mast.caom.cone{ra = obsxyz"))
  end)

  it("completes the options of functions that declare them, also in an options table after other arguments", function()
    env.x, env.d, env.q = {}, "dir", "SELECT 1"
    assert.same({ "size" }, complete("mast.tesscut.cutouts{ra = 1, dec = 2, si"))
    assert.same({ "radius" }, complete("mast.panstarrs.cone{ra = 1, dec = 2, rad"))
    assert.same({ "radius" }, complete("mast.observations.query_region{coordinates = '1 2', rad"))
    assert.same({ "survey" }, complete("mast.zcut.cutouts{sur"))
    assert.same({ "flat" }, complete("mast.download_products(x, d, {fl"))
    assert.same({ "async" }, complete('mast.tap.query("tic", q, {asy'))
    assert.same({ "async" }, complete("print(mast.tap.query('tic', f(q, 1), {maxrec = 5, asy"))
    assert.same({}, complete("mast.download_products(x, d, {flat = fl"))   -- a value, not a key
  end)

  it("completes column names after r.data[1].", function()
    assert.same({ "r.data[1].obs_id", "r.data[1].obsid" }, complete("print(r.data[1].obs"))
  end)

  it("gives where the word starts", function()
    local list, start = repl.complete("x = mast.ca", 11, env)
    assert.equal(5, start)
    assert.equal("mast.cache", list[1])
  end)
end)

describe("the grid", function()
  local pretty = require "mast.pretty"
  local result = require "mast.result"
  local long_id = "hst_16194_2h_wfc3_ir_f160w_iepo02_drz_really_long"
  local function sample()
    return result.wrap({
      fields = { { name = "obs_id", type = "string" }, { name = "productFilename", type = "string" },
                 { name = "target_name", type = "string" }, { name = "s_region", type = "string" },
                 { name = "t_exptime", type = "float" } },
      data = {
        { obs_id = long_id, productFilename = long_id .. "_drz.fits", target_name = "NGC-1234",
          s_region = ("POLYGON 1.0 2.0 3.0 4.0 5.0 6.0"), t_exptime = 1.5 },
        { obs_id = "b", productFilename = "b.fits", target_name = "M101", s_region = "x", t_exptime = 2.0 },
        { obs_id = "c", productFilename = "c.fits", target_name = "M101", s_region = "x", t_exptime = 3.0 },
      } }, "Test")
  end

  it("shows id-like columns in full and cuts other cells with a visible ellipsis", function()
    local text = pretty.grid(sample(), { width = 400 })
    assert.matches(long_id .. " ", text, 1, true)
    assert.matches(long_id .. "_drz.fits", text, 1, true)
    assert.matches("POLYGON 1.0 2.0 3.0 4.0…  ", text, 1, true)
  end)

  it("r:show prints exactly the columns, rows and width asked for", function()
    local r = sample()
    local text = r:show { columns = { "target_name", "t_exptime" }, rows = 2, width = 40 }
    local lines = {}
    for l in (text .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = l end
    assert.matches("^Test: 3 rows, 2 columns, first 2 shown", lines[1])
    assert.matches("^target_name  t_exptime$", lines[2])
    assert.matches("^NGC%-1234 +1%.5$", lines[4])
    assert.matches("^M101 +2$", lines[5])
    assert.matches("^… 1 more rows", lines[6])
    for _, l in ipairs(lines) do assert.truthy(utf8.len(l) <= 40, l) end
    text = r:show { columns = { "obs_id" }, width = 20 }
    for l in (text .. "\n"):gmatch("(.-)\n") do assert.truthy(utf8.len(l) <= 20, l) end
    assert.matches("unknown option 'row'", select(2, pcall(r.show, r, { row = 2 })).message, 1, true)
    assert.matches("did you mean 'obs_id'", tostring(select(2, pcall(r.show, r, { columns = { "obsid_" } }))), 1, true)
  end)

  it("asks the terminal its width, $COLUMNS only as a fallback", function()
    assert.is_function(core.terminal_width)
    local code, out = H.sh("COLUMNS=77 " .. H.quote(H.bin) .. " -e \"print(require('mast.pretty').terminal_width())\"")
    assert.equal(0, code)
    assert.equal("77\n", out)   -- stdout is no terminal here
  end)
end)

describe("the REPL, in a terminal", function()
  before_each(function() H.reset() end)

  it("prints help, help() and the first `mast` as what they hold (not nil, {} or an error)", function()
    local code, out = typed({ "help", "help()", "mast", "mast.caom.cone", "help(mast.caom.cone)", "mast.tesscut" })
    assert.equal(0, code, out)
    assert.not_matches("\nnil\n", out)
    assert.not_matches("\n{}\n", out)
    assert.not_matches("function: 0x", out)
    local _, n = out:gsub("Getting help:", "")
    assert.equal(2, n)
    assert.matches("mast\nModules: cache, caom, catalogs", out, 1, true)
    assert.matches("function mast.caom.cone: Mast.Caom.Cone", out, 1, true)
    assert.matches("Options, plumbing", out, 1, true)
    assert.matches("mast.tesscut\nmast.tesscut: TESS full-frame-image cutouts", out, 1, true)
    assert.matches("\n  mast.tesscut.sectors ", out, 1, true)
  end)

  it("leaves on exit and on quit, which the banner mentions", function()
    for _, word in ipairs { "exit", "quit", "quit()" } do
      local code, out = session({ { expect = "mast> " }, { send = word .. "\r" } }, { MAST_HISTFILE = H.tmpname() })
      assert.equal(0, code, out)
      assert.matches("exit, quit or Ctrl-D", out, 1, true)
      assert.not_matches("nil", out)
      assert.not_matches("timed out", out)
    end
  end)

  it("prints a mast error's message only, and mast.traceback() shows where it came from", function()
    local code, out = typed({ "mast.caom.cone{ra = 1, de = 2}", "mast.traceback()" })
    assert.equal(0, code, out)
    local first = out:match("de = 2}\n(.-)mast> ")
    assert.equal("mast.caom.cone: unknown option 'de' (did you mean 'dec'?)\n", first)
    assert.matches("mast.traceback()\nmast.caom.cone: unknown option 'de' (did you mean 'dec'?)\nstack traceback:",
      out, 1, true)
  end)

  it("completes with Tab: a module's function and a wrapper's option", function()
    local code, out = typed({ "x = mast.caom.co\t", "x == mast.caom.cone",
      "help(mast.caom.cone{exclude_h\t = true, ra = 1})" })
    assert.equal(0, code, out)
    assert.matches("\ntrue\n", out)
    assert.not_matches("unknown option", out, 1, true)   -- exclude_h was completed: only the position is missing
    assert.matches("needs a position", out, 1, true)
  end)

  it("fits the grid to the terminal's real width and shows obs_id in full", function()
    local code, out = typed({ "r = mast.caom.cone{ra = 254.28746, dec = -4.09933, radius = 0.2}", "r",
      "print('ID=' .. r.data[1].obs_id)" }, { PTY_SIZE = "50,200" })
    assert.equal(0, code, out)
    local widest = 0
    for l in out:gmatch("[^\n]+") do   -- the list of every column is left for the terminal to wrap
      if not l:find("Columns: ", 1, true) then widest = math.max(widest, utf8.len(l) or #l) end
    end
    assert.truthy(widest > 120 and widest <= 200, "widest line " .. widest)
    local id = out:match("\nID=([^\n]+)")
    assert.truthy(id)
    assert.matches("  " .. id .. "  ", out, 1, true)
  end)
end)

describe("a script's error", function()
  it("prints 'mast: message' and a traceback without mast's internal frames", function()
    local script = H.tmpname()
    H.write(script, "local function mine()\n  mast.caom.cone{ra = 1, de = 2}\nend\nmine()\n")
    local code, _, err = H.mast({ script })
    os.remove(script)
    assert.equal(1, code)
    assert.matches("^mast: mast.caom.cone: unknown option 'de'", err)
    assert.matches("stack traceback:", err, 1, true)
    assert.matches("in local 'mine'", err, 1, true)
    assert.not_matches("lua/mast/", err, 1, true)
    assert.not_matches("[C]:", err, 1, true)
  end)
end)
