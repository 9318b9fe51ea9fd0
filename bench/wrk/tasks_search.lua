dofile("bench/wrk/common.lua")
local lines, i

function init(args)
  lines = load_lines(args[1])
  i = id * 7919
end

function request()
  i = i + 1
  local f = fields(lines[(i % #lines) + 1])
  local path = "/api/v1/tasks?q=report&tag=" .. f[3] .. "&sort=-due_date"
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. f[1] })
end
