-- The mast program itself: the source of mast(1) (scripts/gen-reference) and
-- of the reference's command-line section. A spec checks that every option
-- `mast --help` lists and every setting has its text here.
return {
  ["mast(1)"] = {
    sig = "mast [options] [script [args]]",
    summary = "Lua 5.4 with the mast module for the MAST astronomy archive: runs scripts, or a REPL.",
    text = "mast runs Lua scripts exactly as lua(1) does (the same options, arg table and exit status), "
      .. "with the global mast: the module that queries MAST (mast.stsci.edu), downloads its products and "
      .. "prints its results as grids. Without a script, on a terminal, it starts a REPL: an expression "
      .. "prints its value, help() explains mast and help(mast.caom.cone) one function, Tab completes "
      .. "names, fields and option names, Ctrl-C stops what runs, and exit, quit or Ctrl-D leaves. An error "
      .. "in a script prints 'mast: message' and a traceback (without mast's internal frames) on stderr and "
      .. "exits with status 1; at the prompt it prints the message only, and mast.traceback() shows where it "
      .. "came from.",
    options = {
      { name = "-e stat", text = "Execute the string stat." },
      { name = "-i", text = "Enter the REPL after running the script." },
      { name = "-l mod", text = "Require the library mod into the global mod." },
      { name = "-l g=mod", text = "Require the library mod into the global g." },
      { name = "-v", text = "Show version information." },
      { name = "-E", text = "Ignore the environment variables (LUA_*, MAST_*)." },
      { name = "-W", text = "Turn warnings on." },
      { name = "-h, --help", text = "Show the usage and exit." },
      { name = "--", text = "Stop handling options." },
      { name = "-", text = "Stop handling options and execute the standard input." },
    },
    -- the text of each setting's environment variable (the variables come from the settings table)
    settings = {
      base_url = "Where MAST is (default https://mast.stsci.edu).",
      token = "The MAST API token (MAST_API_TOKEN), sent only to base_url; never printed nor kept in the history.",
      user_agent = "The User-Agent of every request.",
      ca_file = "A file of CA certificates to trust (TLS is always verified).",
      ca_path = "A directory of CA certificates to trust.",
      connect_timeout = "Seconds to connect (default 30).",
      timeout = "Seconds a transfer may receive nothing before it counts as stalled (default 60).",
      retries = "Retries of a transient failure, with backoff (default 3).",
      retry_delay = "The first retry's delay in seconds (default 0.5).",
      concurrency = "Transfers at once in a batch (default 8).",
      max_answer = "The most bytes an answer kept in memory (any answer but a download) may take (default 2 GiB); past it a memory error.",
      cache_dir = "Where small public metadata is cached between runs (default $XDG_CACHE_HOME/mast); "
        .. "empty turns the disk cache off.",
      deadline = "Seconds one query may take in all, polling and retries included (default 600).",
      progress = "Progress lines on stderr: auto (on a terminal), on or off.",
      hla_url = "The Hubble Legacy Archive (HSC spectra).",
      catalogs_url = "catalogs.mast (Pan-STARRS).",
      resolver_url = "MAST's name resolver (SANTA); no token is sent there.",
      cloud_url = "MAST's public bucket over HTTPS (download_products{source = 'cloud'}); no token is sent there.",
      cache = "The query cache: a directory, true (<cache_dir>/queries) or false (the default: off).",
      cache_ttl = "Seconds a cached answer stays good (default 86400).",
      cache_max = "Bytes the query cache may hold; the least recently used entries go first (default 1e9).",
      record = "Keep every request and answer of the run in this directory (see mast.record).",
      replay = "Answer every request from the recording in this directory, with no network (see mast.replay).",
    },
    environment = {
      { name = "MAST_INIT", text = "Lua code, or @file, run before anything else (unless -E)." },
      { name = "MAST_HISTFILE", text = "The REPL's history file (default ~/.mast_history)." },
      { name = "MAST_LUA_PATH", text = "A directory whose mast modules are used instead of the installed ones." },
      { name = "LUA_PATH, LUA_CPATH", text = "As for lua(1)." },
    },
    files = {
      { name = "~/.mast_history", text = "The REPL's history; a line that mentions or holds a token is never written." },
      { name = "$XDG_CACHE_HOME/mast", text = "The disk cache of MAST's column configurations (else ~/.cache/mast)." },
    },
    examples = {
      { text = "Start the REPL and search around M101:",
        code = "mast\nmast> r = mast.caom.cone{target = 'M101', radius = '3 arcmin'}\nmast> r:show{columns = {'obs_id', 'instrument_name'}}" },
      { text = "Run a one-line query:",
        code = "mast -e \"print(mast.caom.filtered_count{filters = {obs_collection = 'HST'}})\"" },
      { text = "Run a script with arguments:", code = "mast fetch.lua M101 3arcmin" },
      { text = "Try everything against the local MAST imitation of the source tree:",
        code = "sandbox/with-sandbox build/mast" },
    },
    exit = "0 when the script (or the REPL) ends normally, 1 after an error.",
  },
}
