/*
** settings.h -- the one definition of every setting the C core keeps.
**
** Each row: name, environment variable, type, default (text, or NULL for
** none), lowest and highest value (numbers), owner, flags. The table makes
** the storage (mast_config in internal.h), the environment defaults, the
** typed get/set, the key list and the descriptors of mast_setting_at().
** Settings only the Lua modules use are defined in lua/mast/config.lua.
**
** Owners: HOST settings say where requests go and whom they trust; once the
** host locks the configuration (mast_config_lock) a script cannot change
** them. Flags: URL (http/https, trailing slashes dropped), REQUIRED (never
** empty), SECRET (never read back; wiped when replaced).
*/
#ifndef MAST_SETTINGS_H
#define MAST_SETTINGS_H

#define MAST_SETTINGS(X)                                                                        \
  X(base_url, "MAST_BASE_URL", STRING, "https://mast.stsci.edu", 0, 0, HOST, URL)              \
  X(token, "MAST_API_TOKEN", STRING, NULL, 0, 0, SCRIPT, SECRET)                               \
  X(user_agent, "MAST_USER_AGENT", STRING, NULL, 0, 0, HOST, REQUIRED)                         \
  X(ca_file, "MAST_CA_FILE", STRING, NULL, 0, 0, HOST, NONE)                                   \
  X(ca_path, "MAST_CA_PATH", STRING, NULL, 0, 0, HOST, NONE)                                   \
  X(connect_timeout, "MAST_CONNECT_TIMEOUT", NUMBER, "30", 0.001, 3600, SCRIPT, NONE)          \
  X(timeout, "MAST_TIMEOUT", NUMBER, "60", 1, 86400, SCRIPT, NONE)                             \
  X(retries, "MAST_RETRIES", INTEGER, "3", 0, 100, SCRIPT, NONE)                               \
  X(retry_delay, "MAST_RETRY_DELAY", NUMBER, "0.5", 0, 600, SCRIPT, NONE)                      \
  X(concurrency, "MAST_CONCURRENCY", INTEGER, "8", 1, 64, SCRIPT, NONE)                       \
  X(max_answer, "MAST_MAX_ANSWER", NUMBER, "2147483648", 1024, 1e12, SCRIPT, NONE)            \
  X(cache_dir, "MAST_CACHE_DIR", STRING, NULL, 0, 0, HOST, NONE)

/* concurrency 8: measured (issue 16) 100 x 1 MB at 50 ms latency take 1.4 s
** at 4, 0.8 s at 8 (over 8x astroquery's sequential download_products); MAST
** publishes no download limit, and 8 stays under the one concurrency limit it
** has published (TESScut's 10 at once). Paging keeps its own 4 (protocol/). */
/* max_answer 2 GiB: the most bytes an answer kept in memory may take (a query
** that is not a download); MAST's largest answers (about 500,000 rows) are a
** few hundred MB, so only a broken or hostile server (a body that never ends)
** reaches it. A request's own max_body is tighter. */
/* user_agent has no fixed default: mast_ctx_new makes it from the versions.
** cache_dir has none either: mast_config_from_env takes the user's cache
** directory from the environment ($XDG_CACHE_HOME/mast, else
** ~/.cache/mast); MAST_CACHE_DIR="" (or false from a script) turns the disk
** cache off, and a host that ignores the environment has none unless it sets
** one. It holds small public metadata only (column configurations), so a
** per-user directory that survives between runs is the right place. */

#define MAST_SF_NONE 0u
#define MAST_SF_URL 1u
#define MAST_SF_REQUIRED 2u
#define MAST_SF_SECRET 4u

#endif
