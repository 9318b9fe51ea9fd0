-- Shared by the scenario scripts: fixture lines, a per-thread cursor, and a JSON summary line.
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function load_lines(path)
  local lines = {}
  for line in io.lines(path) do
    lines[#lines + 1] = line
  end
  return lines
end

function fields(line)
  local out = {}
  for word in string.gmatch(line, "%S+") do
    out[#out + 1] = word
  end
  return out
end

-- The default: args[1] is the users fixture; each thread starts at its own offset.
local lines, cursor

function init(args)
  lines = load_lines(args[1])
  cursor = id * 7919
end

-- The next user's fields: access_token task_id tag_name email.
function next_user()
  cursor = cursor + 1
  return fields(lines[(cursor % #lines) + 1]), cursor
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "socket_errors": %d, "status_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean))
end
