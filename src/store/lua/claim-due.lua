--[[
  Claims up to N due members of a due set (gate samples, card refreshes) for one worker: each claimed
  member's score moves to now + lease, so no other worker sees it as due until the lease runs out (a
  worker that dies mid-batch leaves its claims to expire and be taken over).
  Input:
    KEYS[1] due set (ZSET member -> due ms)
    ARGV[1] now (ms)
    ARGV[2] how many at most
    ARGV[3] lease (ms)
  Output:
    flat array member, due score, member, due score, ...
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local leaseEnd = tonumber(ARGV[1]) + tonumber(ARGV[3])
for i = 1, #due, 2 do
  redis.call('ZADD', KEYS[1], 'XX', leaseEnd, due[i])
end
return due
