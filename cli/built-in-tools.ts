import type { AgentTool } from '../core/agent.js';
import { calculate, formatNumber } from './calculate.js';
import { zonedTime } from './current-time.js';

/**
 * The tools `hyperagent chat` gives the model: real and safe — they read the clock and do
 * arithmetic, with no network, no files and no `eval`.
 */
export const BUILT_IN_TOOLS: readonly AgentTool[] = Object.freeze([
  {
    name: 'get_current_time',
    description: 'The current date and time in a time zone. Use it whenever the user asks what time or date it is somewhere.',
    parameters: {
      type: 'object',
      properties: {
        timezone: { type: 'string', description: 'An IANA time zone name, e.g. "Asia/Tokyo", "Europe/Paris", "America/New_York". Omit it for the local time zone.' },
      },
      additionalProperties: false,
    },
    handler: (args) => zonedTime(typeof args.timezone === 'string' && args.timezone !== '' ? args.timezone : undefined).text,
  },
  {
    name: 'calculate',
    description: 'Evaluate an arithmetic expression exactly: + - * / % ^, parentheses, pi, e, sqrt, abs, round, floor, ceil, ln, log, exp, sin, cos, tan, min, max.',
    parameters: {
      type: 'object',
      properties: { expression: { type: 'string', description: 'e.g. "(17.5 * 3) / 4 + 2^10"' } },
      required: ['expression'],
      additionalProperties: false,
    },
    handler: (args) => formatNumber(calculate(String(args.expression))),
  },
]);
