-- make APP=apps/lua defconfig run ARGS='/hello.lua a b': a greeting, the
-- script's arguments (the global arg table) and a little of the language.
local names = require("greet")
print(names.greeting(_VERSION))
for i = 1, #arg do
  print(string.format("arg[%d] = %q", i, arg[i]))
end
local squares = {}
for i = 1, 5 do squares[#squares + 1] = i * i end
print("squares: " .. table.concat(squares, " "))
