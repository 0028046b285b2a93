--[[
  Extends a lock its owner still holds.
  Input:
    KEYS[1] lock
    ARGV[1] owner token
    ARGV[2] ttl (ms)
  Output:
    1 when extended, 0 when the lock is someone else's (or gone)
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
