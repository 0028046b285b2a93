--[[
  Frees a service/environment lock only if the given release still holds it, so a late or repeated
  release never frees a lock a newer release has taken.
  Input:
    KEYS[1] lock key
    ARGV[1] release id
  Output:
    1 freed, 0 not held by that release
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
