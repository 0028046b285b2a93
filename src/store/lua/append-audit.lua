--[[
  Appends audit entries to the stream and their per-release / per-incident indexes, atomically.
  Input:
    KEYS[1] audit stream
    ARGV[1..] packed audit entries (count, then per entry: json, n, n index list keys)
  Output:
    the stream ids of the entries, in order
]]
--- @include "append-audit"

return appendAudit(KEYS[1], 1)
