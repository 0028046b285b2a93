--[[
  Saves several releases at once, each exactly as save-release.lua would with no outbox batch, no
  audit entry and no final state: the saves of steady gate readings gathered in one turn (see
  store/steady-saves.ts), so a busy sampler makes one call for many samples. Each entry is its own
  compare-and-set on its rev; one that fails writes nothing and does not stop the others.
  Input:
    KEYS[1] gate schedule (ZSET)
    KEYS[2] card refreshes (ZSET)
    then per entry e: KEYS[1 + 2e] its release key, KEYS[2 + 2e] its kept gate samples (ZSET)
    ARGV[1] how many gate samples a release keeps; ARGV[2] their TTL (s)
    then 11 per entry: release id, expected (stored) rev, new rev, release JSON (without its plan),
    card refresh due (ms) or '', gate sample to arm: due (ms) or '', its member or '',
    gate sample to keep: time (ms) or '', its row or '', '1' to trim the kept samples and renew
    their TTL or '' (the caller does it every few saves, see steady-saves.ts CAP_EVERY), the
    claimed gate sample this save answers (removed in the same step as the next is armed) or ''
  Output:
    one status per entry: 1 saved, 0 the stored rev differs (nothing written), -1 no such release
]]
--- @include "cap-samples"

local out = {}
local entries = (#KEYS - 2) / 2
for e = 1, entries do
  local a = 2 + (e - 1) * 11
  local releaseKey = KEYS[1 + 2 * e]
  local stored = redis.call('HGET', releaseKey, 'rev')
  if not stored then
    out[e] = -1
  elseif stored ~= ARGV[a + 2] then
    out[e] = 0
  else
    redis.call('HSET', releaseKey, 'rev', ARGV[a + 3], 'json', ARGV[a + 4])
    if ARGV[a + 5] ~= '' then
      redis.call('ZADD', KEYS[2], 'NX', ARGV[a + 5], ARGV[a + 1])
    end
    if ARGV[a + 11] ~= '' then
      redis.call('ZREM', KEYS[1], ARGV[a + 11])
    end
    if ARGV[a + 6] ~= '' then
      redis.call('ZADD', KEYS[1], 'NX', ARGV[a + 6], ARGV[a + 7])
    end
    if ARGV[a + 8] ~= '' then
      local samples = KEYS[2 + 2 * e]
      redis.call('ZADD', samples, ARGV[a + 8], ARGV[a + 9])
      if ARGV[a + 10] == '1' then
        capSamples(samples, ARGV[1], ARGV[2])
      end
    end
    out[e] = 1
  end
end
return out
