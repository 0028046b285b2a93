--[[
  Removes one handled batch from a release's outbox, and the release from the outbox set once its
  list is empty — in one step, so a batch pushed meanwhile is never orphaned.
  Input:
    KEYS[1] outbox set
    KEYS[2] this release's outbox list
    ARGV[1] release id
    ARGV[2] the exact batch text read by takeOutbox
  Output:
    the number of batches removed (0 or 1)
]]
local removed = redis.call('LREM', KEYS[2], 1, ARGV[2])
if redis.call('LLEN', KEYS[2]) == 0 then
  redis.call('SREM', KEYS[1], ARGV[1])
end
return removed
