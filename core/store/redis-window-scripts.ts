import { KEEP, NOW_MS } from './redis-lua.js';

// The sliding window in Redis: one Lua script per operation, so each is atomic and one round trip.
//
// A window `key` is three keys in one hash slot (the `{…}` tag), so it also works on a cluster:
//   <prefix>w:{key}:s  sorted set: stamped entry id → stamp time (ms)
//   <prefix>w:{key}:p  sorted set: pending entry id → time it expires (ms)
//   <prefix>w:{key}:h  hash: entry id → tokens; '#tok' → sum of tokens counted; '#seq' → last id;
//                      '#w' → the window's length
// ARGV[1] is the time in whole ms, or -1 for Redis's own clock (TIME), which every instance shares:
// a window then means the same to instances whose clocks disagree.

/** Shared by every window script: dropping what left the window (and the clock, key TTLs). */
export const WINDOW_PRELUDE = `${NOW_MS}${KEEP}
-- Removes ids from the hash in chunks (unpack has a stack limit) and returns their tokens.
local function drop(h, ids)
  local tokens = 0
  for i = 1, #ids, 500 do
    local chunk = {}
    for j = i, math.min(i + 499, #ids) do chunk[#chunk + 1] = ids[j] end
    local counted = redis.call('HMGET', h, unpack(chunk))
    for j = 1, #counted do tokens = tokens + (tonumber(counted[j]) or 0) end
    redis.call('HDEL', h, unpack(chunk))
  end
  return tokens
end

local function prune(s, p, h, now, w)
  local freed = 0
  local left = redis.call('ZRANGEBYSCORE', s, '-inf', now - w)
  if #left > 0 then
    freed = freed + drop(h, left)
    redis.call('ZREMRANGEBYSCORE', s, '-inf', now - w)
  end
  local expired = redis.call('ZRANGEBYSCORE', p, '-inf', now)
  if #expired > 0 then
    freed = freed + drop(h, expired)
    redis.call('ZREMRANGEBYSCORE', p, '-inf', now)
  end
  if freed ~= 0 then redis.call('HINCRBY', h, '#tok', -freed) end
end

`;

/**
 * ARGV: now, windowMs, requestLimit (0 = none), tokenLimit (0 = none), tokens, pendingTtlMs.
 * Returns {1, id, requests, tokens} or {0, retryAfterMs (-1 = never), reason (0 requests, 1 tokens), requests, tokens}.
 */
export const WINDOW_RESERVE = `${WINDOW_PRELUDE}
local s, p, h = KEYS[1], KEYS[2], KEYS[3]
local now, w = now_ms(ARGV[1]), tonumber(ARGV[2])
local request_limit, token_limit, tokens, pending_ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
prune(s, p, h, now, w)
local stamped = redis.call('ZCARD', s)
local requests = stamped + redis.call('ZCARD', p)
local counted = tonumber(redis.call('HGET', h, '#tok')) or 0
local blocked, wait, reason = false, 0, 0
if request_limit > 0 and requests + 1 > request_limit then
  blocked = true
  local rank = requests - request_limit
  -- Stamped entries leave in stamp order; pending ones as if stamped now, after all of them.
  if rank < stamped then
    local entry = redis.call('ZRANGE', s, rank, rank, 'WITHSCORES')
    wait = tonumber(entry[2]) + w - now
  else
    wait = w
  end
end
if token_limit > 0 and counted + tokens > token_limit then
  local token_wait = w
  if tokens > token_limit then
    token_wait = -1
  else
    local excess, start, found = counted + tokens - token_limit, 0, false
    while not found do
      local entries = redis.call('ZRANGE', s, start, start + 199, 'WITHSCORES')
      if #entries == 0 then break end
      local ids = {}
      for i = 1, #entries, 2 do ids[#ids + 1] = entries[i] end
      local values = redis.call('HMGET', h, unpack(ids))
      for i = 1, #ids do
        excess = excess - (tonumber(values[i]) or 0)
        if excess <= 0 then
          token_wait = tonumber(entries[2 * i]) + w - now
          found = true
          break
        end
      end
      start = start + 200
    end
  end
  if not blocked or token_wait == -1 or (wait ~= -1 and token_wait > wait) then
    wait, reason = token_wait, 1
  end
  blocked = true
end
if blocked then
  if wait ~= -1 then wait = math.max(1, math.ceil(wait)) end
  return {0, wait, reason, requests, counted}
end
local id = redis.call('HINCRBY', h, '#seq', 1)
redis.call('HSET', h, id, tokens)
redis.call('HINCRBY', h, '#tok', tokens)
redis.call('HSET', h, '#w', w)
redis.call('ZADD', p, now + pending_ttl, id)
keep({s, p, h}, pending_ttl + w)
return {1, id, requests + 1, counted + tokens}
`;

/** ARGV: now, windowMs (if never reserved), id. Returns 1 when the entry was pending and is stamped now. */
export const WINDOW_STAMP = `${WINDOW_PRELUDE}
local s, p, h = KEYS[1], KEYS[2], KEYS[3]
-- The length the window was reserved with (ARGV[2] only if it never was).
local now, w = now_ms(ARGV[1]), tonumber(redis.call('HGET', h, '#w')) or tonumber(ARGV[2])
prune(s, p, h, now, w)
if redis.call('ZREM', p, ARGV[3]) == 0 then return 0 end
redis.call('ZADD', s, now, ARGV[3])
keep({s, h}, w)
return 1
`;

/** ARGV: now, windowMs, id, tokens. Returns 1 when the entry was still counted. */
export const WINDOW_SETTLE = `${WINDOW_PRELUDE}
local s, p, h = KEYS[1], KEYS[2], KEYS[3]
-- The length the window was reserved with (ARGV[2] only if it never was).
local now, w = now_ms(ARGV[1]), tonumber(redis.call('HGET', h, '#w')) or tonumber(ARGV[2])
prune(s, p, h, now, w)
local before = redis.call('HGET', h, ARGV[3])
if not before then return 0 end
local tokens = tonumber(ARGV[4])
redis.call('HSET', h, ARGV[3], tokens)
redis.call('HINCRBY', h, '#tok', tokens - tonumber(before))
return 1
`;

/** ARGV: now, windowMs, id. Returns 1 when a pending entry was dropped. */
export const WINDOW_RELEASE = `${WINDOW_PRELUDE}
local s, p, h = KEYS[1], KEYS[2], KEYS[3]
-- The length the window was reserved with (ARGV[2] only if it never was).
local now, w = now_ms(ARGV[1]), tonumber(redis.call('HGET', h, '#w')) or tonumber(ARGV[2])
prune(s, p, h, now, w)
if redis.call('ZREM', p, ARGV[3]) == 0 then return 0 end
redis.call('HINCRBY', h, '#tok', -drop(h, {ARGV[3]}))
return 1
`;

/** ARGV: now, windowMs. Returns {requests, tokens, pending}. */
export const WINDOW_USAGE = `${WINDOW_PRELUDE}
local s, p, h = KEYS[1], KEYS[2], KEYS[3]
-- The length the window was reserved with (ARGV[2] only if it never was).
local now, w = now_ms(ARGV[1]), tonumber(redis.call('HGET', h, '#w')) or tonumber(ARGV[2])
prune(s, p, h, now, w)
local pending = redis.call('ZCARD', p)
return {redis.call('ZCARD', s) + pending, tonumber(redis.call('HGET', h, '#tok')) or 0, pending}
`;
