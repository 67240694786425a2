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
    -- every setting: its default and meaning, in the order the README's table shows them (the
    -- variables come from the settings table; a spec checks that each setting has its row here)
    settings = {
      { name = "base_url", default = "`https://mast.stsci.edu`", text = "Where MAST is." },
      { name = "token", default = "none",
        text = "The MAST API token: sent as `Authorization: token <T>`, only to base_url's scheme, host and port; "
          .. "reads back as \"<set>\"; never in a message, a log or the REPL history. false clears it." },
      { name = "timeout", default = "60",
        text = "Seconds a transfer may receive nothing before it counts as stalled (libcurl averages the rate "
          .. "over a few seconds, so a stall is noticed about 5 s after that)." },
      { name = "connect_timeout", default = "30", text = "Seconds to connect." },
      { name = "deadline", default = "600", text = "Seconds one query may take in all, polling and retries included." },
      { name = "retries", default = "3",
        text = "Retries of a transient failure (429, 500, 502, 503, 504, connection errors, stalls), with "
          .. "exponential backoff and jitter, honouring Retry-After. A download counts them from its last "
          .. "attempt that took the .part 64 KB further, so one that each attempt resumes further on goes on." },
      { name = "retry_delay", default = "0.5", text = "The first retry's delay, in seconds." },
      { name = "concurrency", default = "8",
        text = "Transfers at once in a batch (1-64). 8 because 100 x 1 MB at 50 ms latency take 0.73 s at 8 and "
          .. "1.4 s at 4; MAST publishes no download limit, and 8 stays under the only concurrency limit it has "
          .. "published, TESScut's 10 at once." },
      { name = "max_answer", default = "2147483648",
        text = "The most bytes an answer kept in memory (any answer but a download) may take; past it a memory "
          .. "error, so a body that never ends cannot exhaust memory before the deadline." },
      { name = "user_agent", default = "`mast-lua/<v> libcurl/<v> Lua/5.4`", text = "The User-Agent of every request." },
      { name = "hla_url", default = "`https://hla.stsci.edu`", text = "The Hubble Legacy Archive (HSC spectra)." },
      { name = "catalogs_url", default = "`https://catalogs.mast.stsci.edu`", text = "catalogs.mast (Pan-STARRS)." },
      { name = "resolver_url", default = "`http://mastresolver.stsci.edu/Santa-war`",
        text = "MAST's name resolver (SANTA) that mast.resolve asks; no token is ever sent there." },
      { name = "cloud_url", default = "`https://stpubdata.s3.amazonaws.com`",
        text = "MAST's public bucket over HTTPS (download_products{source = \"cloud\" or \"auto\"}); anonymous, "
          .. "no token is ever sent there." },
      { name = "cache_dir", default = "`$XDG_CACHE_HOME/mast`, else `~/.cache/mast`",
        text = "Where small public metadata (column configurations) is kept between runs; false or \"\" turns "
          .. "the disk cache off." },
      { name = "cache", default = "`false`",
        text = "The query cache: a directory, true (<cache_dir>/queries) or false (see The query cache)." },
      { name = "cache_ttl", default = "86400", text = "Seconds a cached answer stays good." },
      { name = "cache_max", default = "1e9",
        text = "Bytes the query cache may hold; the least recently used entries go first." },
      { name = "record", default = "none",
        text = "Keep every request and answer of the run in this directory (see mast.record)." },
      { name = "replay", default = "none",
        text = "Answer every request from the recording in this directory, with no network (see mast.replay)." },
      { name = "ca_file", default = "the system's", text = "A file of CA certificates to trust (TLS is always verified)." },
      { name = "ca_path", default = "the system's", text = "A directory of CA certificates to trust." },
      { name = "progress", default = "`auto`", text = "Progress lines on stderr: auto (on a terminal), on or off." },
    },
    -- every error code (the C core's list, src/core/ctx.c; a spec checks that each is here):
    -- err.code, when it is raised, and the fields it carries besides code and message
    errors = {
      { code = "usage", text = "bad arguments; nothing was sent" },
      { code = "http", text = "the server answered an HTTP error (after retries for 429/5xx)",
        fields = "`status`, `url`, `attempts`" },
      { code = "mast", text = "the service answered `status: \"ERROR\"`", fields = "`service`, `msg` (MAST's own text)" },
      { code = "timeout", text = "the deadline passed (still EXECUTING), or a transfer stalled", fields = "`service`" },
      { code = "json", text = "a body that is not the JSON (or VOTable) it should be", fields = "`offset`" },
      { code = "io", text = "a local file could not be written, or a download's size was wrong" },
      { code = "network", text = "no connection, or it broke (after retries)", fields = "`url`, `attempts`" },
      { code = "cancelled", text = "Ctrl-C, or the embedding host cancelled" },
      { code = "memory", text = "a result beyond the budget the caller set" },
      { code = "denied",
        text = "the embedding host's policy forbids this URL, this path, or changing a setting it owns",
        fields = "`path` for a file" },
      { code = "callback", text = "a progress callback raised an error (`cause` holds it)", fields = "`cause`" },
      { code = "script", text = "a script run by an embedding host raised an error of its own" },
      { code = "limit",
        text = "a limit was hit: a script run by an embedding host passed its instruction or memory limit, "
          .. "or a TAP query without maxrec was cut at the service's row limit (QUERY_STATUS OVERFLOW)",
        fields = "`rows` (a TAP overflow)" },
      { code = "replay", text = "under `MAST_REPLAY`, a request the recording does not hold", fields = "`url`" },
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
