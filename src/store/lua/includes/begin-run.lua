--[[
  Starts the bookkeeping of one action run, keyed by its idempotency key.
    done             → the action finished before: report its result, do not run it again.
    running/resumed  → a worker has it. If its heartbeat (beatMs, Redis's own clock) is younger than
                       liveMs, that worker is alive — its job lock lapsed in a Redis failover, say —
                       and the action must not start a second time beside it: 'busy'. Otherwise it
                       died while it ran: count another attempt and run it again (with the same
                       idempotency key, so the target can recognise the repeat).
    absent           → first run.
  Returns {status, attempt, result JSON or '', previous owner or ''}.
  Needs serverMs (includes/server-ms.lua) included before it.
]]
local function beginRun(runKey, owner, now, ttl, liveMs)
  local status = redis.call('HGET', runKey, 'status')
  if status == 'done' then
    local run = redis.call('HMGET', runKey, 'attempt', 'result')
    return {'done', run[1] or '1', run[2] or '', ''}
  end
  local nowMs = serverMs()
  if status == 'running' or status == 'resumed' then
    local run = redis.call('HMGET', runKey, 'owner', 'beatMs', 'attempt')
    local previousOwner = run[1] or ''
    if nowMs - tonumber(run[2] or '0') < tonumber(liveMs) then
      return {'busy', run[3] or '1', '', previousOwner}
    end
    local attempt = redis.call('HINCRBY', runKey, 'attempt', 1)
    redis.call('HSET', runKey, 'status', 'resumed', 'owner', owner, 'resumedAt', now, 'beatMs', nowMs)
    redis.call('EXPIRE', runKey, ttl)
    return {'resumed', tostring(attempt), '', previousOwner}
  end
  redis.call('DEL', runKey)
  redis.call('HSET', runKey, 'status', 'running', 'owner', owner, 'attempt', 1, 'startedAt', now, 'beatMs', nowMs)
  redis.call('EXPIRE', runKey, ttl)
  return {'started', '1', '', ''}
end
