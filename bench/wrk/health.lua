dofile("bench/wrk/common.lua")

-- No fixture: the liveness endpoint, where the server's own cost per request shows most.
function init(args) end

function request()
  return wrk.format("GET", "/health")
end
