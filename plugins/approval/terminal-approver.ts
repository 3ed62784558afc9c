import { createInterface, type Interface } from 'node:readline/promises';
import { redactSecrets } from '../../core/redact.js';
import type { ApprovalDecision, ApprovalRequest, Approver, ToolCallApprovalRequest } from './approval-types.js';

export interface TerminalApproverOptions {
  /** Where answers are read from. Ignored when `readline` is given. @default process.stdin */
  readonly input?: NodeJS.ReadableStream;
  /** Where prompts are written; stderr keeps stdout free for the model's answer. @default process.stderr */
  readonly output?: NodeJS.WritableStream;
  /**
   * A readline interface the front end already reads from (a chat REPL). Reusing it matters: two
   * interfaces on one stdin would both receive the answer line.
   * @default undefined (one interface per question on `input`/`output`)
   */
  readonly readline?: Interface;
}

/**
 * An approver that asks a person at the terminal: it prints the tool and its arguments (secrets
 * redacted) and reads `y`, `n [reason]` or `e` (then new arguments as JSON). An empty answer
 * denies. The question is withdrawn when the approval plugin stops waiting.
 */
export function createTerminalApprover(options: TerminalApproverOptions = {}): Approver {
  return async (request, signal) => {
    const shared = options.readline;
    const readline =
      shared ?? createInterface({ input: options.input ?? process.stdin, output: options.output ?? process.stderr, terminal: false });
    try {
      return request.kind === 'request' ? await askRequest(readline, request, signal) : await askToolCall(readline, request, signal);
    } finally {
      if (!shared) readline.close();
    }
  };
}

// Everything goes out through `question()`: `readline.write()` would feed the text back in as input.
async function askToolCall(readline: Interface, request: ToolCallApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
  const flag = request.tool?.dangerous ? ' (marked dangerous)' : '';
  let preface =
    `\nThe model wants to call ${request.toolCall.name}${flag} on ${request.backendName}:\n` +
    `  arguments: ${redactSecrets(JSON.stringify(request.toolCall.arguments, null, 2)).replaceAll('\n', '\n  ')}\n`;
  for (;;) {
    const answer = (await readline.question(`${preface}Allow it? [y]es / [n]o [reason] / [e]dit arguments (default no): `, { signal })).trim();
    const [word = '', ...rest] = answer.split(/\s+/);
    switch (word.toLowerCase()) {
      case 'y':
      case 'yes':
        return { decision: 'approve' };
      case '':
      case 'n':
      case 'no':
        return { decision: 'deny', reason: rest.length > 0 ? rest.join(' ') : 'denied at the terminal' };
      case 'e':
      case 'edit': {
        const parsed = parseObject(await readline.question('New arguments as one line of JSON: ', { signal }));
        if (parsed) return { decision: 'modify', arguments: parsed };
        preface = 'That is not a JSON object; the call was not changed.\n';
        break;
      }
      default:
        preface = `Answer y, n or e (got "${word}").\n`;
    }
  }
}

async function askRequest(readline: Interface, request: Extract<ApprovalRequest, { kind: 'request' }>, signal: AbortSignal): Promise<ApprovalDecision> {
  const preface =
    `\nThe next request to ${request.backendName} (${request.model}) is estimated at $${request.estimatedCostUsd.toFixed(4)} ` +
    `(~${request.estimatedPromptTokens} prompt + up to ${request.estimatedOutputTokens} output tokens), above the $${request.maxEstimatedCostUsd} limit.\n`;
  const answer = (await readline.question(`${preface}Send it? [y]es / [n]o (default no): `, { signal })).trim().toLowerCase();
  return answer === 'y' || answer === 'yes' ? { decision: 'approve' } : { decision: 'deny', reason: 'denied at the terminal' };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
