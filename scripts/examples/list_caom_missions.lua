#!/usr/bin/env mast
-- list_caom_missions: a port of list_caom_missions() from MAST's "API examples in Python" page.
-- Lists the missions (collections) in CAOM through Mast.Missions.List.
-- Fixes: none needed.
local mast = require "mast"

local missions = mast.missions.list()
print(("Mast.Missions.List: %d missions"):format(#missions))
print("  " .. table.concat(missions, ", "))
