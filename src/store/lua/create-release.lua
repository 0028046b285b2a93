--[[
  Creates a release; when asked, takes the one-release-per-service-and-environment lock first.
  All or nothing: two creates racing for one lock → exactly one writes anything.
  Input:
    KEYS[1] lock key (active:<service>:<env>)
    KEYS[2] release key
    KEYS[3] active set
    KEYS[4] outbox set
    KEYS[5] this release's outbox list
    KEYS[6] audit stream
    ARGV[1] release id
    ARGV[2] release rev
    ARGV[3] release JSON, without its plan
    ARGV[4] '1' to take the lock, '0' not to
    ARGV[5] outbox batch JSON, or '' for none
    ARGV[6] plan JSON (written once: a plan never changes after the start)
    ARGV[7..] packed audit entries
  Output:
    {'ok'}                      created
    {'locked', holderId}        the lock is held by another release; nothing written
    {'exists'}                  a release with this id exists already; nothing written
]]
--- @include "append-audit"
--- @include "push-outbox"

local releaseId = ARGV[1]
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {'exists'}
end
if ARGV[4] == '1' then
  local holder = redis.call('GET', KEYS[1])
  if holder then
    return {'locked', holder}
  end
  redis.call('SET', KEYS[1], releaseId)
end
redis.call('HSET', KEYS[2], 'rev', ARGV[2], 'json', ARGV[3], 'plan', ARGV[6])
redis.call('SADD', KEYS[3], releaseId)
pushOutbox(KEYS[4], KEYS[5], releaseId, ARGV[5])
appendAudit(KEYS[6], 7)
return {'ok'}
