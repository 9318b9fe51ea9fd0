dofile("bench/wrk/common.lua")

function request()
  local f, n = next_user()
  local body = '{"title": "bench task ' .. n .. '", "priority": "high", "description": "made by wrk"}'
  return wrk.format("POST", "/api/v1/tasks", {
    ["Authorization"] = "Bearer " .. f[1], ["Content-Type"] = "application/json" }, body)
end
