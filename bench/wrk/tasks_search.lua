dofile("bench/wrk/common.lua")

function request()
  local f = next_user()
  local path = "/api/v1/tasks?q=report&tag=" .. f[3] .. "&sort=-due_date"
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. f[1] })
end
