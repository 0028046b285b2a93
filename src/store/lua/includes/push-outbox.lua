--[[
  Queues one batch of effects for a release: the batch goes to the release's outbox list and the
  release id to the outbox set, so a dispatcher finds it even after a crash. An empty batch ("") is
  skipped.
]]
local function pushOutbox(outboxSetKey, outboxListKey, releaseId, batch)
  if batch ~= '' then
    redis.call('RPUSH', outboxListKey, batch)
    redis.call('SADD', outboxSetKey, releaseId)
  end
end
