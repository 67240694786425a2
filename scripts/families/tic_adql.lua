-- The TESS Input Catalog over VO-TAP: the tables the catalog holds, an ADQL query of
-- bright stars near a position (as a job on the server), and the same cone written for you.
local mast = require "mast"

print("TAP catalogs: " .. table.concat(mast.tap.catalogs(), ", "))
print(mast.tap.tables("tic"))

local adql = [[
SELECT TOP 20 ID, ra, dec, Tmag, Teff
FROM dbo.catalogrecord
WHERE CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 23.3, 60.6, 0.5)) = 1 AND Tmag < 12
ORDER BY Tmag]]
local bright = mast.tap.query("tic", adql, { async = true })
print(bright)

local cone = mast.tap.cone("tic", { ra = 23.34086, dec = 60.658, radius = "2 arcmin",
                                    columns = { "ID", "ra", "dec", "Tmag" } })
print(cone.adql)
print(cone)
