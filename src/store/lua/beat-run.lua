--[[
  The heartbeat of a running action (see includes/begin-run.lua), stamped with Redis's own clock so
  a beat queued while Redis was away counts from when it arrives. Only the run's owner beats it, and
  only while it runs; `stop` clears it (a run given back: a retry after backoff, a shutdown) so the
  next worker need not wait for it to age.
  Input:
    KEYS[1] action run key
    ARGV[1] owner; ARGV[2] '1' to stop
  Output: 1 when beaten (or stopped), 0 when the run is not this owner's or not running
]]
--- @include "server-ms"

local run = redis.call('HMGET', KEYS[1], 'status', 'owner')
if (run[1] ~= 'running' and run[1] ~= 'resumed') or run[2] ~= ARGV[1] then
  return 0
end
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'beatMs', 0)
  return 1
end
redis.call('HSET', KEYS[1], 'beatMs', serverMs())
return 1
