-- LuaRocks: builds the Lua module mast (mast/core.so and the pure-Lua
-- modules) with CMake. Needs libcurl, libarchive and cairo development files
-- (Debian: libcurl4-openssl-dev libarchive-dev libcairo2-dev). The mast program and
-- libmast are built by CMake directly (see README).
rockspec_format = "3.0"
package = "mast"
version = "0.1.0-1"
source = {
  url = "git+https://github.com/mast-lua/mast.git",
  tag = "v0.1.0",
}
description = {
  summary = "Script the MAST archive (mast.stsci.edu) from Lua",
  detailed = [[
    Queries, paging, downloads and bundles for the Mikulski Archive for Space
    Telescopes, on libcurl: exact JSON (64-bit ids intact), polling of long
    queries, retries, concurrent transfers, resumable downloads that never
    leave a half-written file.
  ]],
  license = "MIT",
  labels = { "astronomy", "mast", "http", "json" },
}
dependencies = {
  "lua >= 5.4, < 5.5",
}
external_dependencies = {
  CURL = { library = "curl" },
  LIBARCHIVE = { library = "archive" },
  CAIRO = { library = "cairo" },
}
build = {
  type = "cmake",
  variables = {
    CMAKE_BUILD_TYPE = "Release",
    CMAKE_INSTALL_PREFIX = "$(PREFIX)",
    MAST_MODULE_ONLY = "ON",
    MAST_BUILD_TESTS = "OFF",
    LUA_INCDIR = "$(LUA_INCDIR)",
    MAST_INSTALL_LMOD = "$(LUADIR)",
    MAST_INSTALL_CMOD = "$(LIBDIR)",
  },
}
