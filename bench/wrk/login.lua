dofile("bench/wrk/common.lua")
local password

local load_users = init
function init(args)
  load_users(args)
  password = args[2]
end

function request()
  local f = next_user()
  return wrk.format("POST", "/api/v1/auth/login", {
    ["Content-Type"] = "application/x-www-form-urlencoded" },
    "username=" .. f[4] .. "&password=" .. password)
end
