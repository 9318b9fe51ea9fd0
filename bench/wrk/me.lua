dofile("bench/wrk/common.lua")

function request()
  local f = next_user()
  return wrk.format("GET", "/api/v1/auth/me", { ["Authorization"] = "Bearer " .. f[1] })
end
