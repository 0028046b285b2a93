--[[
  Takes one token from a bucket shared by every process (Redis's clock, so processes agree), unless
  Slack told us to wait for this scope.
  Input:
    KEYS[1] bucket hash {tokens, at}
    KEYS[2] hold key (set after a 429 or a 5xx)
    ARGV[1] ms per token
    ARGV[2] burst (bucket size)
  Output:
    0 when a token was taken; otherwise how many ms to wait before trying again
]]
local held = redis.call('PTTL', KEYS[2])
if held > 0 then
  return held
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / interval)
if tokens >= 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil(interval * burst) + 1000)
  return 0
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(interval * burst) + 1000)
return math.ceil((1 - tokens) * interval)
