--- run-tutorial.lua: runs a Markdown tutorial's Lua snippets and checks what they print.
-- usage: mast spec/tools/run-tutorial.lua FILE.md [--write]
-- Every ```lua block of FILE runs, in order, as one program (a local of one
-- snippet is seen by the next, as in a REPL session), in the current
-- directory. What a block prints must be exactly the ```output block that
-- follows it (a block with no output block must print nothing). With
-- --write, the output blocks are made from what the blocks print instead,
-- and FILE is rewritten (scripts/gen-tutorial does that against the sandbox).
-- Errors name FILE's own line numbers. Exit status: 0 all good, 1 otherwise.
local path, mode = arg[1], arg[2]
if not path or (mode and mode ~= "--write") then
  io.stderr:write("usage: run-tutorial.lua FILE.md [--write]\n")
  os.exit(2)
end

local f = assert(io.open(path, "rb"))
local text = f:read("a")
f:close()

-- Pieces of the file in order: {kind = "text"|"lua"|"output", lines = {...}, first = line number}.
local pieces, cur = {}, nil
local n = 0
for line in (text:sub(-1) == "\n" and text or text .. "\n"):gmatch("(.-)\n") do
  n = n + 1
  if cur and cur.kind ~= "text" then
    if line == "```" then
      cur.close = line
      pieces[#pieces + 1] = cur
      cur = nil
    else
      cur.lines[#cur.lines + 1] = line
    end
  elseif line == "```lua" or line == "```output" then
    if cur then pieces[#pieces + 1] = cur end
    cur = { kind = line:sub(4), open = line, lines = {}, first = n + 1 }
  else
    if not cur then cur = { kind = "text", lines = {}, first = n } end
    cur.lines[#cur.lines + 1] = line
  end
end
if cur then
  if cur.kind ~= "text" then
    io.stderr:write(("%s:%d: a ```%s block is not closed\n"):format(path, cur.first - 1, cur.kind))
    os.exit(1)
  end
  pieces[#pieces + 1] = cur
end

-- One program: each snippet at its own line numbers (blank lines between),
-- with a call between snippets that switches where printing goes.
local code, line, blocks = {}, 1, {}
for _, p in ipairs(pieces) do
  if p.kind == "lua" then
    blocks[#blocks + 1] = p
    while line < p.first - 1 do code[#code + 1] = ""; line = line + 1 end
    code[#code + 1] = ("__tutorial_block(%d)"):format(#blocks)
    line = line + 1
    for _, l in ipairs(p.lines) do code[#code + 1] = l; line = line + 1 end
  end
end

local outputs, current = {}, nil
local env = setmetatable({}, { __index = _G })
env.__tutorial_block = function(i) current = i; outputs[i] = {} end
env.print = function(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  local o = outputs[current]
  o[#o + 1] = table.concat(parts, "\t")
end

local chunk, err = load(table.concat(code, "\n"), "@" .. path, "t", env)
if not chunk then
  io.stderr:write(err, "\n")
  os.exit(1)
end
local ok, e = xpcall(chunk, debug.traceback)
if not ok then
  io.stderr:write(("%s (in the snippet at line %d)\n"):format(tostring(e), blocks[current or 1].first))
  os.exit(1)
end

-- What each block printed, as lines (a printed value may hold several).
local printed = {}
for i = 1, #blocks do
  local all = table.concat(outputs[i] or {}, "\n")
  local ls = {}
  if #(outputs[i] or {}) > 0 then
    for l in (all .. "\n"):gmatch("(.-)\n") do ls[#ls + 1] = (l:gsub("%s+$", "")) end
  end
  printed[blocks[i]] = ls
end

if mode == "--write" then
  local out = {}
  local function put(p)
    if p.open then out[#out + 1] = p.open end
    for _, l in ipairs(p.lines) do out[#out + 1] = l end
    if p.close then out[#out + 1] = p.close end
  end
  for _, p in ipairs(pieces) do
    if p.kind ~= "output" then
      put(p)
      if p.kind == "lua" and #printed[p] > 0 then
        put({ open = "```output", lines = printed[p], close = "```" })
      end
    end
  end
  local w = assert(io.open(path, "wb"))
  w:write(table.concat(out, "\n"), "\n")
  w:close()
  os.exit(0)
end

local bad = 0
for i, p in ipairs(pieces) do
  if p.kind == "lua" then
    local nextp = pieces[i + 1]
    local want = (nextp and nextp.kind == "output") and nextp.lines or {}
    local got = printed[p]
    local same = #want == #got
    for k = 1, math.max(#want, #got) do
      if (want[k] or ""):gsub("%s+$", "") ~= (got[k] or "") then same = false end
    end
    if not same then
      bad = bad + 1
      io.stderr:write(("%s:%d: the snippet printed something else than its output block:\n--- expected\n%s\n"
        .. "--- printed\n%s\n"):format(path, p.first, table.concat(want, "\n"), table.concat(got, "\n")))
    end
  end
end
os.exit(bad == 0 and 0 or 1)
