-- luacheck lua spec scripts
std = "lua54"
-- the specs run under busted, with the helper table H from spec/helpers
files["spec"] = { std = "+busted", globals = { "H" } }
