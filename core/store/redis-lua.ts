// Lua shared by the store's scripts.

/** `now_ms(ARGV[1])`: the given time in whole ms, or Redis's own (TIME) when it is -1. */
export const NOW_MS = `
local function now_ms(arg)
  local given = tonumber(arg)
  if given and given >= 0 then return given end
  -- Whole milliseconds (exact as arguments and scores), rounded up: a stamp is never early.
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.ceil(tonumber(t[2]) / 1000)
end
`;

/** `keep(keys, ttl)`: keys live as long as their longest-lived content, so a TTL is only ever extended. */
export const KEEP = `
local function keep(keys, ttl)
  ttl = math.ceil(ttl)
  for i = 1, #keys do
    local current = redis.call('PTTL', keys[i])
    if current == -1 or (current >= 0 and current < ttl) then redis.call('PEXPIRE', keys[i], ttl) end
  end
end
`;
