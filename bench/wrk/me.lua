dofile("bench/wrk/common.lua")
local lines, i

function init(args)
  lines = load_lines(args[1])
  i = id * 7919
end

function request()
  i = i + 1
  local f = fields(lines[(i % #lines) + 1])
  return wrk.format("GET", "/api/v1/auth/me", { ["Authorization"] = "Bearer " .. f[1] })
end
