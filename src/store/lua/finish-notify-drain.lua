--[[
  Ends one round of delivering a release's notifications: drops the handled head of the list and lets
  go of the drain lock (both only while the caller still holds it), and reports what is left. Notifications pushed later find the lock free (and,
  if the list was empty, queue their own drain), so none is left behind.
  Input:
    KEYS[1] pending set
    KEYS[2] this release's notification list
    KEYS[3] drain lock
    ARGV[1] release id
    ARGV[2] how many notifications at the head were handled
    ARGV[3] the lock owner's token
  Output:
    the number of notifications still waiting
]]
-- Only the lock's holder trims: a drainer whose lock expired (and was taken over) must not drop
-- notifications the new holder has not delivered; its deliveries are marked and will be skipped.
if redis.call('GET', KEYS[3]) == ARGV[3] then
  local handled = tonumber(ARGV[2])
  if handled > 0 then
    redis.call('LTRIM', KEYS[2], handled, -1)
  end
  redis.call('DEL', KEYS[3])
end
local left = redis.call('LLEN', KEYS[2])
if left == 0 then
  redis.call('SREM', KEYS[1], ARGV[1])
end
return left
