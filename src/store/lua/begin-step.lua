--[[
  A step job's first read, in one round trip: the release it belongs to, and the start of its action
  run's bookkeeping (begin-run). Beginning before the caller has checked the step is still current is
  harmless: a stale step's key is never used by a current one, and it expires.
  Input:
    KEYS[1] release key
    KEYS[2] action run key
    ARGV[1] owner (worker / job id)
    ARGV[2] now (ISO)
    ARGV[3] ttl in seconds
    ARGV[4] '1' to return the stored plan too (the caller has not cached it)
    ARGV[5] how young (ms) a running action's heartbeat must be for its worker to count as alive
  Output:
    {} when there is no such release (nothing begun);
    otherwise {release JSON, plan JSON or '', status, attempt, result JSON or '', previous owner or ''}
]]
--- @include "server-ms"
--- @include "begin-run"

local release = redis.call('HMGET', KEYS[1], 'json', 'plan')
if not release[1] then
  return {}
end
local run = beginRun(KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[5])
local plan = ''
if ARGV[4] == '1' and release[2] then
  plan = release[2]
end
return {release[1], plan, run[1], run[2], run[3], run[4]}
