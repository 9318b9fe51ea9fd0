dofile("bench/wrk/common.lua")
local priorities = { "low", "medium", "high" }

function request()
  local f, n = next_user()
  local body = '{"priority": "' .. priorities[(n % 3) + 1] .. '"}'
  return wrk.format("PATCH", "/api/v1/tasks/" .. f[2], {
    ["Authorization"] = "Bearer " .. f[1], ["Content-Type"] = "application/json" }, body)
end
