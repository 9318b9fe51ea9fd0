dofile("bench/wrk/common.lua")
local lines, i
local priorities = { "low", "medium", "high" }

function init(args)
  lines = load_lines(args[1])
  i = id * 7919
end

function request()
  i = i + 1
  local f = fields(lines[(i % #lines) + 1])
  local body = '{"priority": "' .. priorities[(i % 3) + 1] .. '"}'
  return wrk.format("PATCH", "/api/v1/tasks/" .. f[2], {
    ["Authorization"] = "Bearer " .. f[1], ["Content-Type"] = "application/json" }, body)
end
