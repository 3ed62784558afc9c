import { KEEP, NOW_MS } from './redis-lua.js';

// Money against a budget in Redis: one Lua script per operation, atomic, one round trip.
//
// A budget `key` is three keys in one hash slot:
//   <prefix>b:{key}:t  hash: 'spent', 'reserved' (nano-dollars), '#seq' (last id), 'r:<id>' → amount
//   <prefix>b:{key}:r  sorted set: live reservation id → time it expires
//   <prefix>b:{key}:d  sorted set: settled or released id → time its tombstone goes (makes settles idempotent)
// Every script first drops expired reservations: they stop counting, but settling one still charges.

const BUDGET_PRELUDE = `${NOW_MS}${KEEP}
local function prune(t, r, d, now)
  local expired = redis.call('ZRANGEBYSCORE', r, '-inf', now)
  if #expired > 0 then
    local freed = 0
    for i = 1, #expired do
      local field = 'r:' .. expired[i]
      freed = freed + (tonumber(redis.call('HGET', t, field)) or 0)
      redis.call('HDEL', t, field)
    end
    redis.call('ZREMRANGEBYSCORE', r, '-inf', now)
    redis.call('HINCRBY', t, 'reserved', -freed)
  end
  redis.call('ZREMRANGEBYSCORE', d, '-inf', now)
end

local function totals(t, r)
  local values = redis.call('HMGET', t, 'spent', 'reserved')
  return tonumber(values[1]) or 0, tonumber(values[2]) or 0, redis.call('ZCARD', r)
end

-- Ends reservation ARGV[2]: 1 when it was live or expired unsettled, 0 when already ended or never issued.
local function finish(t, r, d, now, id, tombstone_ttl)
  if redis.call('ZSCORE', d, id) then return 0 end
  if tonumber(id) > (tonumber(redis.call('HGET', t, '#seq')) or 0) then return 0 end
  local amount = redis.call('HGET', t, 'r:' .. id)
  if amount then
    redis.call('HDEL', t, 'r:' .. id)
    redis.call('HINCRBY', t, 'reserved', -tonumber(amount))
    redis.call('ZREM', r, id)
  end
  redis.call('ZADD', d, now + tombstone_ttl, id)
  return 1
end
`;

/**
 * ARGV: now, amount, budget, reservationTtlMs, keyTtlMs.
 * Returns {1, id, spent, reserved, reservations} or {0, 0, spent, reserved, reservations}.
 */
export const BUDGET_RESERVE = `${BUDGET_PRELUDE}
local t, r, d = KEYS[1], KEYS[2], KEYS[3]
local now = now_ms(ARGV[1])
local amount, budget, ttl, key_ttl = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
prune(t, r, d, now)
local spent, reserved, count = totals(t, r)
if spent + reserved + amount > budget then return {0, 0, spent, reserved, count} end
local id = redis.call('HINCRBY', t, '#seq', 1)
redis.call('HSET', t, 'r:' .. id, amount)
redis.call('HINCRBY', t, 'reserved', amount)
redis.call('ZADD', r, now + ttl, id)
keep({t, r}, math.max(key_ttl, ttl))
return {1, id, spent, reserved + amount, count + 1}
`;

/** ARGV: now, id, actual, tombstoneTtlMs, keyTtlMs. Returns {applied, spent, reserved, reservations}. */
export const BUDGET_SETTLE = `${BUDGET_PRELUDE}
local t, r, d = KEYS[1], KEYS[2], KEYS[3]
local now = now_ms(ARGV[1])
prune(t, r, d, now)
local applied = finish(t, r, d, now, ARGV[2], tonumber(ARGV[4]))
if applied == 1 then
  redis.call('HINCRBY', t, 'spent', tonumber(ARGV[3]))
  keep({t, d}, math.max(tonumber(ARGV[5]), tonumber(ARGV[4])))
end
local spent, reserved, count = totals(t, r)
return {applied, spent, reserved, count}
`;

/** ARGV: now, id, tombstoneTtlMs. Returns {applied, spent, reserved, reservations}. */
export const BUDGET_RELEASE = `${BUDGET_PRELUDE}
local t, r, d = KEYS[1], KEYS[2], KEYS[3]
local now = now_ms(ARGV[1])
prune(t, r, d, now)
local applied = finish(t, r, d, now, ARGV[2], tonumber(ARGV[3]))
if applied == 1 then keep({d}, tonumber(ARGV[3])) end
local spent, reserved, count = totals(t, r)
return {applied, spent, reserved, count}
`;

/** ARGV: now. Spent goes to 0, reservations stay. Returns {spent, reserved, reservations}. */
export const BUDGET_RESET_SPENT = `${BUDGET_PRELUDE}
local t, r, d = KEYS[1], KEYS[2], KEYS[3]
prune(t, r, d, now_ms(ARGV[1]))
if redis.call('EXISTS', t) == 1 then redis.call('HSET', t, 'spent', 0) end
local spent, reserved, count = totals(t, r)
return {spent, reserved, count}
`;

/** ARGV: now. Returns {spent, reserved, reservations}. */
export const BUDGET_TOTALS = `${BUDGET_PRELUDE}
local t, r, d = KEYS[1], KEYS[2], KEYS[3]
prune(t, r, d, now_ms(ARGV[1]))
local spent, reserved, count = totals(t, r)
return {spent, reserved, count}
`;
