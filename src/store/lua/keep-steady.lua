--[[
  Steady gate readings, several at once (store/steady-readings.ts): for each, the sample member the
  worker claimed is armed again for its next due time and the reading is kept for the chart. The
  release record is not written: a steady reading changes nothing the machine decides on (see
  release/steady-reading.ts). Each entry is fenced twice: the claim must still be this worker's (the
  member's score is still the lease end it set when it claimed it), and the release must still be at
  the rev the worker decided on (anyone else's save since, a click or a timer, bumps it).
  An entry is one argument, its fields joined by "\n" (one argument instead of nine is most of the
  client's cost per entry). Its release keys are built from their prefixes, as claim-due.lua does:
  the store runs on one Redis (standalone or Sentinel), not a cluster.
  Input:
    KEYS[1] gate schedule (ZSET), KEYS[2] card refreshes (ZSET)
    ARGV[1] how many gate samples a release keeps; ARGV[2] their TTL (s)
    ARGV[3] the release key prefix (`<prefix>:release:`), ARGV[4] the kept samples' key prefix
    then one per entry, its fields: release id, the rev decided on, the claimed member, its lease end
    (ms), its next due (ms), the reading's time (ms), '1' to trim the kept samples and renew their
    TTL or '', the card's refresh due (ms) or '', and last its chart row (JSON, no raw newline)
  Output:
    one status per entry: 1 kept (armed again), 0 the release changed or is gone (nothing written:
    decide on the stored release), 2 the claim is no longer this worker's (nothing written)
]]
--- @include "cap-samples"

local out = {}
for e = 5, #ARGV do
  local f = {}
  local from = 1
  for i = 1, 8 do
    local at = string.find(ARGV[e], '\n', from, true)
    f[i] = string.sub(ARGV[e], from, at - 1)
    from = at + 1
  end
  local row = string.sub(ARGV[e], from)
  local score = redis.call('ZSCORE', KEYS[1], f[3])
  if not score or tonumber(score) ~= tonumber(f[4]) then
    out[#out + 1] = 2
  elseif redis.call('HGET', ARGV[3] .. f[1], 'rev') ~= f[2] then
    out[#out + 1] = 0
  else
    redis.call('ZADD', KEYS[1], 'XX', f[5], f[3])
    local samples = ARGV[4] .. f[1]
    redis.call('ZADD', samples, f[6], row)
    if f[7] == '1' then
      capSamples(samples, ARGV[1], ARGV[2])
    end
    if f[8] ~= '' then
      redis.call('ZADD', KEYS[2], 'NX', f[8], f[1])
    end
    out[#out + 1] = 1
  end
end
return out
