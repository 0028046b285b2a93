--[[
  Starts the bookkeeping of one action run, keyed by its idempotency key.
    done             → the action finished before: report its result, do not run it again.
    running/resumed  → a worker died while it ran: count another attempt and run it again
                       (with the same idempotency key, so the target can recognise the repeat).
    absent           → first run.
  Input:
    KEYS[1] action run key
    ARGV[1] owner (worker / job id)
    ARGV[2] now (ISO)
    ARGV[3] ttl in seconds
  Output:
    {status, attempt, result JSON or '', previous owner or ''}
]]
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'done' then
  local run = redis.call('HMGET', KEYS[1], 'attempt', 'result')
  return {'done', run[1] or '1', run[2] or '', ''}
end
if status == 'running' or status == 'resumed' then
  local previousOwner = redis.call('HGET', KEYS[1], 'owner') or ''
  local attempt = redis.call('HINCRBY', KEYS[1], 'attempt', 1)
  redis.call('HSET', KEYS[1], 'status', 'resumed', 'owner', ARGV[1], 'resumedAt', ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return {'resumed', tostring(attempt), '', previousOwner}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'status', 'running', 'owner', ARGV[1], 'attempt', 1, 'startedAt', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {'started', '1', '', ''}
