--[[
  Queues a post at the tail of its channel's lane, once per post key.
  Input:
    KEYS[1] lane list
    KEYS[2] lanes set
    KEYS[3] queued marker of this post key
    ARGV[1] channel
    ARGV[2] post (JSON)
    ARGV[3] marker ttl (s)
  Output:
    1 when queued, 0 when this key was queued before
]]
if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[3]) then
  return 0
end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
