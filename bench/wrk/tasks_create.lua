dofile("bench/wrk/common.lua")
local lines, i

function init(args)
  lines = load_lines(args[1])
  i = id * 7919
end

function request()
  i = i + 1
  local f = fields(lines[(i % #lines) + 1])
  local body = '{"title": "bench task ' .. i .. '", "priority": "high", "description": "made by wrk"}'
  return wrk.format("POST", "/api/v1/tasks", {
    ["Authorization"] = "Bearer " .. f[1], ["Content-Type"] = "application/json" }, body)
end
