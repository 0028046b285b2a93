--[[
  Claims up to N due members of a due set (gate samples, card refreshes) for one worker: each claimed
  member's score moves to now + lease, so no other worker sees it as due until the lease runs out (a
  worker that dies mid-batch leaves its claims to expire and be taken over).
  With ARGV[4], each member names a release (its id is the member up to its last three "/" parts:
  release/gate/epoch/seq) and the release's stored rev comes with it: a sampler that kept the release
  as it saved it last can tell at once whether anyone changed it since, without reading it. The
  release keys are not in KEYS: the store runs on one Redis (standalone or Sentinel), not a cluster.
  Input:
    KEYS[1] due set (ZSET member -> due ms)
    ARGV[1] now (ms)
    ARGV[2] how many at most
    ARGV[3] lease (ms)
    ARGV[4] optional: the release key prefix (`<prefix>:release:`)
  Output:
    flat array member, due score, member, due score, ...
    with ARGV[4]: member, due score, rev ('' when the release is gone), ...
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local leaseEnd = tonumber(ARGV[1]) + tonumber(ARGV[3])
for i = 1, #due, 2 do
  redis.call('ZADD', KEYS[1], 'XX', leaseEnd, due[i])
end
local releaseKey = ARGV[4]
if not releaseKey or releaseKey == '' then
  return due
end
local out = {}
for i = 1, #due, 2 do
  local id = string.match(due[i], '^(.+)/[^/]+/[^/]+/[^/]+$')
  local rev = id and redis.call('HGET', releaseKey .. id, 'rev')
  out[#out + 1] = due[i]
  out[#out + 1] = due[i + 1]
  out[#out + 1] = rev or ''
end
return out
