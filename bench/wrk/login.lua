dofile("bench/wrk/common.lua")
local lines, i, password

function init(args)
  lines = load_lines(args[1])
  password = args[2]
  i = id * 7919
end

function request()
  i = i + 1
  local f = fields(lines[(i % #lines) + 1])
  return wrk.format("POST", "/api/v1/auth/login", {
    ["Content-Type"] = "application/x-www-form-urlencoded" },
    "username=" .. f[4] .. "&password=" .. password)
end
