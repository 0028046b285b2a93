--[[
  Starts the bookkeeping of one action run, keyed by its idempotency key.
    done             → the action finished before: report its result, do not run it again.
    running/resumed  → a worker died while it ran: count another attempt and run it again
                       (with the same idempotency key, so the target can recognise the repeat).
    absent           → first run.
  Returns {status, attempt, result JSON or '', previous owner or ''}.
]]
local function beginRun(runKey, owner, now, ttl)
  local status = redis.call('HGET', runKey, 'status')
  if status == 'done' then
    local run = redis.call('HMGET', runKey, 'attempt', 'result')
    return {'done', run[1] or '1', run[2] or '', ''}
  end
  if status == 'running' or status == 'resumed' then
    local previousOwner = redis.call('HGET', runKey, 'owner') or ''
    local attempt = redis.call('HINCRBY', runKey, 'attempt', 1)
    redis.call('HSET', runKey, 'status', 'resumed', 'owner', owner, 'resumedAt', now)
    redis.call('EXPIRE', runKey, ttl)
    return {'resumed', tostring(attempt), '', previousOwner}
  end
  redis.call('DEL', runKey)
  redis.call('HSET', runKey, 'status', 'running', 'owner', owner, 'attempt', 1, 'startedAt', now)
  redis.call('EXPIRE', runKey, ttl)
  return {'started', '1', '', ''}
end
