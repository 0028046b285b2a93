--[[
  Takes a release's dispatch lock and reads its pending batches in one step.
  Input:
    KEYS[1] dispatch lock (lock:flush:<release>)
    KEYS[2] this release's outbox list
    ARGV[1] owner token
    ARGV[2] lock ttl in ms
  Output:
    nil when another dispatcher holds the lock (it will see every batch pushed before this call);
    otherwise the pending batches, oldest first (possibly none), left in place until finish-outbox
]]
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return false
end
return redis.call('LRANGE', KEYS[2], 0, -1)
