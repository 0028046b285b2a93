--[[
  Lets go of a lane lock and reports what is left, in one step: a post pushed after this finds the
  lock free and its own drain job takes it; one pushed before is counted here, so the holder goes on.
  Input:
    KEYS[1] lane list
    KEYS[2] lane lock
    KEYS[3] lanes set
    ARGV[1] the lock owner's token
    ARGV[2] channel
  Output:
    the number of posts still waiting
]]
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
local left = redis.call('LLEN', KEYS[1])
if left == 0 then
  redis.call('SREM', KEYS[3], ARGV[2])
end
return left
