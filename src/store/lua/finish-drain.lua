--[[
  Ends one round of draining a per-release list (the outbox's batches, or the notifications): drops
  the items the caller handled from the head and lets go of the drain lock — both only while the
  caller still holds it: one whose lock expired and was taken over leaves the list to the new holder
  (dispatching a batch twice is harmless; a notification delivered twice is skipped by its marker).
  Then reports what is left; an item pushed after this finds the lock free and its pusher drains it.
  Input:
    KEYS[1] pending set (release ids whose list is not empty)
    KEYS[2] this release's list
    KEYS[3] drain lock
    ARGV[1] release id
    ARGV[2] how many items at the head were handled
    ARGV[3] the lock owner's token
  Output:
    the number of items still waiting
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
