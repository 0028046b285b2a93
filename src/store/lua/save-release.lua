--[[
  Saves a release if nobody else saved it since it was read (optimistic concurrency on `rev`), with
  its effects and audit entries in the same step. A final state also moves the release from the
  active set to the history and frees its lock (if it still holds it). A completed release records
  its version as the one deployed in the same step, so a release started the moment the lock is free
  already sees it as its previous version.
  Input:
    KEYS[1] release key
    KEYS[2] active set
    KEYS[3] history zset
    KEYS[4] this service's history zset
    KEYS[5] lock key (active:<service>:<env>)
    KEYS[6] outbox set
    KEYS[7] this release's outbox list
    KEYS[8] audit stream
    KEYS[9] deployed version key (deployed:<service>:<env>)
    KEYS[10] gate schedule (ZSET)
    KEYS[11] this release's kept gate samples (ZSET)
    KEYS[12] card refreshes (ZSET)
    ARGV[1] release id
    ARGV[2] expected (stored) rev
    ARGV[3] new rev
    ARGV[4] release JSON, without its plan (stored once by create-release)
    ARGV[5] '1' when the new state is final
    ARGV[6] history score: endedAt in ms
    ARGV[7] outbox batch JSON, or '' for none
    ARGV[8] the version now deployed, or '' for none
    ARGV[9] when the card's coalesced refresh is due (ms), or '' for none
    ARGV[10] how many gate samples a release keeps; ARGV[11] their TTL (s)
    ARGV[12] the claimed gate sample this save answers (removed), or ''
    ARGV[13] n gate samples to arm, then n pairs: due ms, member
    then m gate samples to keep, then m pairs: time ms, row
    then packed audit entries
  (store/inline-writes.ts packs ARGV[9] on.)
  Output:
     1 saved
     0 the stored rev differs; nothing written
    -1 no such release; nothing written
]]
--- @include "append-audit"
--- @include "push-outbox"
--- @include "cap-samples"

local releaseId = ARGV[1]
local stored = redis.call('HGET', KEYS[1], 'rev')
if not stored then
  return -1
end
if stored ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'rev', ARGV[3], 'json', ARGV[4])
if ARGV[5] == '1' then
  redis.call('SREM', KEYS[2], releaseId)
  redis.call('ZADD', KEYS[3], ARGV[6], releaseId)
  redis.call('ZADD', KEYS[4], ARGV[6], releaseId)
  if redis.call('GET', KEYS[5]) == releaseId then
    redis.call('DEL', KEYS[5])
  end
end
if ARGV[8] ~= '' then
  redis.call('SET', KEYS[9], ARGV[8])
end
pushOutbox(KEYS[6], KEYS[7], releaseId, ARGV[7])
if ARGV[9] ~= '' then
  redis.call('ZADD', KEYS[12], 'NX', ARGV[9], releaseId)
end
if ARGV[12] ~= '' then
  redis.call('ZREM', KEYS[10], ARGV[12])
end
local i = 13
local arms = tonumber(ARGV[i])
for k = 1, arms do
  redis.call('ZADD', KEYS[10], 'NX', ARGV[i + 2 * k - 1], ARGV[i + 2 * k])
end
i = i + 2 * arms + 1
local kept = tonumber(ARGV[i])
for k = 1, kept do
  redis.call('ZADD', KEYS[11], ARGV[i + 2 * k - 1], ARGV[i + 2 * k])
end
if kept > 0 then
  capSamples(KEYS[11], ARGV[10], ARGV[11])
end
appendAudit(KEYS[8], i + 2 * kept + 1)
return 1
