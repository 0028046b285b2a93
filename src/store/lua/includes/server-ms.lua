-- Now on Redis's own clock, in ms: one clock for every worker, whatever their hosts say.
local function serverMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
