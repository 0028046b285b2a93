--[[
  After gate samples were added to a release's kept set: drop the oldest past `kept` and renew the
  set's TTL (the same cap as store/inline-writes.ts SAMPLE_CAP and insight/samples.ts).
]]
local function capSamples(samplesKey, kept, ttlSeconds)
  redis.call('ZREMRANGEBYRANK', samplesKey, 0, -tonumber(kept) - 1)
  redis.call('EXPIRE', samplesKey, ttlSeconds)
end
