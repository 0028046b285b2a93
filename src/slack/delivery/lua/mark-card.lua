--[[
  Notes that a card needs an edit. A card whose state signature differs from the one last shown is
  a state change (priority 2, due one gap after its last edit); one whose readings alone changed
  waits the readings gap, which grows with the number of cards competing for the budget.
  Input:
    KEYS[1] cards zset
    KEYS[2] this card's hash
    ARGV[1] card id
    ARGV[2] the card's state signature now
    ARGV[3] now (ms)
    ARGV[4] gap after the last edit for a state change (ms)
    ARGV[5] gap after the last edit for a readings change (ms)
  Output:
    { 1 when the card was already waiting (this change joins that edit) else 0, its priority }
]]
local now = tonumber(ARGV[3])
redis.call('HINCRBY', KEYS[2], 'gen', 1)
redis.call('EXPIRE', KEYS[2], 7 * 24 * 3600)
local shown = redis.call('HGET', KEYS[2], 'sentSig')
local prio = 1
if shown ~= ARGV[2] then
  prio = 2
end
local old = tonumber(redis.call('HGET', KEYS[2], 'priority') or '0')
if prio > old then
  redis.call('HSET', KEYS[2], 'priority', prio)
else
  prio = old
end
local gap = tonumber(ARGV[5])
if prio == 2 then
  gap = tonumber(ARGV[4])
end
local sentAt = tonumber(redis.call('HGET', KEYS[2], 'sentAt') or '0')
local due = math.max(now, sentAt + gap)
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if current then
  if due < tonumber(current) then
    redis.call('ZADD', KEYS[1], due, ARGV[1])
  end
  return { 1, prio }
end
redis.call('ZADD', KEYS[1], due, ARGV[1])
return { 0, prio }
