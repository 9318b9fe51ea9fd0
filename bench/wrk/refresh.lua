-- Every refresh token is used once: rotation makes a second use a replay.
dofile("bench/wrk/common.lua")
local lines, i, step

function init(args)
  lines = load_lines(args[1])
  step = tonumber(args[2])
  i = id + tonumber(args[3])
end

function request()
  local line = lines[(i % #lines) + 1]
  i = i + step
  return wrk.format("POST", "/api/v1/auth/refresh", { ["Cookie"] = "refresh_token=" .. line })
end
