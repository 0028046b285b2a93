--[[
  Starts the bookkeeping of one action run, keyed by its idempotency key.
    done             → the action finished before: report its result, do not run it again.
    running/resumed  → a worker died while it ran: count another attempt and run it again
                       (with the same idempotency key, so the target can recognise the repeat).
    absent           → first run.
  Input:
    KEYS[1] action run key
    ARGV[1] owner (worker / job id)
    ARGV[2] now (ISO)
    ARGV[3] ttl in seconds
  Output:
    {status, attempt, result JSON or '', previous owner or ''}
]]
--- @include "begin-run"

return beginRun(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
