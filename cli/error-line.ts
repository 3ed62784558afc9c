import { isHyperAgentError } from '../core/errors.js';
import type { CliStyle } from './main.js';
import { CliError } from './cli-errors.js';

/** `hyperagent: <message> [CODE]`: the code of a typed error, dimmed, ends the message's first line. */
export function errorLine(error: unknown, style: CliStyle): string {
  const message = error instanceof Error ? error.message : String(error);
  if (isHyperAgentError(error)) {
    const newline = message.indexOf('\n');
    const code = ` ${style.dim(`[${error.code}]`)}`;
    return `hyperagent: ${newline === -1 ? message + code : message.slice(0, newline) + code + message.slice(newline)}`;
  }
  const hint = error instanceof Error && !(error instanceof CliError) ? ' (set HYPERAGENT_DEBUG=1 for details)' : '';
  return `hyperagent: ${message}${hint}`;
}
