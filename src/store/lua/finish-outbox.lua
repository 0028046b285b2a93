--[[
  Ends a dispatch round: drops the batches it handled from the head of the outbox and lets go of the
  lock (both only while the caller still holds it: a dispatcher whose lock expired leaves its batches
  to the one that took over — dispatching twice is harmless), then reports what is left. A batch
  pushed after this finds the lock free and is dispatched by whoever pushed it.
  Input:
    KEYS[1] outbox set
    KEYS[2] this release's outbox list
    KEYS[3] dispatch lock
    ARGV[1] release id
    ARGV[2] how many batches at the head were handled
    ARGV[3] owner token
  Output:
    the number of batches still pending
]]
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
