--[[
  Queues notifications for one release, in order, and marks the release as having some pending.
  Input:
    KEYS[1] pending set (release ids with undelivered notifications)
    KEYS[2] this release's notification list
    ARGV[1] release id
    ARGV[2..] notifications (JSON)
  Output:
    the list's length before the push: 0 means nobody was going to drain it, so the caller queues a drain
]]
local before = redis.call('LLEN', KEYS[2])
redis.call('RPUSH', KEYS[2], unpack(ARGV, 2))
redis.call('SADD', KEYS[1], ARGV[1])
return before
