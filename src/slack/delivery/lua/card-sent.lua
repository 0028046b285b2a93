--[[
  Records a card edit made (or given up). A change that came in while it was rendered or sent keeps
  the card waiting, due a gap after this edit (its priority stays).
  Input:
    KEYS[1] cards zset
    KEYS[2] this card's hash
    ARGV[1] card id
    ARGV[2] the gen read before rendering
    ARGV[3] now (ms)
    ARGV[4] the state signature shown now ('' when nothing was shown)
    ARGV[5] gap before its next readings edit (ms)
    ARGV[6] gap before its next state edit (ms)
  Output:
    1 when the card is still waiting, 0 when it is up to date
]]
local now = tonumber(ARGV[3])
redis.call('HSET', KEYS[2], 'sentAt', now)
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], 'sentSig', ARGV[4])
end
local gen = redis.call('HGET', KEYS[2], 'gen') or '0'
if gen == ARGV[2] then
  redis.call('HDEL', KEYS[2], 'priority')
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
local gap = tonumber(ARGV[5])
if redis.call('HGET', KEYS[2], 'priority') == '2' then
  gap = tonumber(ARGV[6])
end
redis.call('ZADD', KEYS[1], now + gap, ARGV[1])
return 1
