import { createHash } from 'node:crypto';
import { BUDGET_RELEASE, BUDGET_RESERVE, BUDGET_RESET_SPENT, BUDGET_SETTLE, BUDGET_TOTALS } from './redis-budget-scripts.js';
import { WINDOW_RELEASE, WINDOW_RESERVE, WINDOW_SETTLE, WINDOW_STAMP, WINDOW_USAGE } from './redis-window-scripts.js';

/** A Lua script and its SHA-1, by which `EVALSHA` runs it once Redis has it cached. */
export interface LuaScript {
  readonly name: string;
  readonly lua: string;
  readonly sha: string;
}

function script(name: string, lua: string): LuaScript {
  return Object.freeze({ name, lua, sha: createHash('sha1').update(lua).digest('hex') });
}

/** A TTL key with what is left of its life, in one atomic read: {value, pttl} or nil. */
const VALUE_GET = `
local value = redis.call('GET', KEYS[1])
if not value then return nil end
return {value, redis.call('PTTL', KEYS[1])}
`;

export const SCRIPTS = Object.freeze({
  windowReserve: script('windowReserve', WINDOW_RESERVE),
  windowStamp: script('windowStamp', WINDOW_STAMP),
  windowSettle: script('windowSettle', WINDOW_SETTLE),
  windowRelease: script('windowRelease', WINDOW_RELEASE),
  windowUsage: script('windowUsage', WINDOW_USAGE),
  budgetReserve: script('budgetReserve', BUDGET_RESERVE),
  budgetSettle: script('budgetSettle', BUDGET_SETTLE),
  budgetRelease: script('budgetRelease', BUDGET_RELEASE),
  budgetTotals: script('budgetTotals', BUDGET_TOTALS),
  budgetResetSpent: script('budgetResetSpent', BUDGET_RESET_SPENT),
  get: script('get', VALUE_GET),
});
