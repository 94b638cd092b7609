-- A module found through package.path (/lib/lua/?.lua).
local M = {}
function M.greeting(version)
  return "Hello from " .. version .. " on Cairn!"
end
return M
