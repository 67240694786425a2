--- mast.cache: the query cache's face (the cache itself: mast.qcache).
-- mast.config{cache = dir | true | false, cache_ttl =, cache_max =} turns it
-- on; these look at it and empty it.
local qcache = require "mast.qcache"

return {
  _NAME = "mast.cache",
  stats = qcache.stats,
  clear = qcache.clear,
  dir = qcache.dir,
}
