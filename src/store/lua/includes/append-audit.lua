--[[
  Appends audit entries packed in ARGV from position `i` (see packAuditEntries in audit-entry.ts):
    ARGV[i]   number of entries
    then per entry: json, the number n of index lists, then n index list keys
  Each entry becomes one XADD with the field `json`; its stream id is pushed to each index list.
  Returns the stream ids, in order.
]]
local function appendAudit(streamKey, i)
  local ids = {}
  local count = tonumber(ARGV[i])
  i = i + 1
  for k = 1, count do
    local id = redis.call('XADD', streamKey, '*', 'json', ARGV[i])
    ids[k] = id
    local n = tonumber(ARGV[i + 1])
    for j = 1, n do
      redis.call('RPUSH', ARGV[i + 1 + j], id)
    end
    i = i + 2 + n
  end
  return ids
end
