--[[
  Drops delivered (or set aside) posts from a lane — the head and the lines folded into it — while the
  caller still holds the lane lock (one whose lock was taken over leaves the lane to the new holder).
  Input:
    KEYS[1] lane list
    KEYS[2] lane lock
    ARGV[1] the lock owner's token
    ARGV[2..] the posts (JSON, exactly as read)
  Output:
    1 when removed, 0 when the lock was lost
]]
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return 0
end
for i = 2, #ARGV do
  redis.call('LREM', KEYS[1], 1, ARGV[i])
end
return 1
