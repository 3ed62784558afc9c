import { pino, type DestinationStream, type Logger } from 'pino';
import { REDACTED } from '../../core/redact.js';
import type { ResolvedLoggingOptions } from './logging-options.js';
import { PINO_REDACT_PATHS } from './redact-value.js';

/** The pino logger the plugin writes through, with redaction paths as a second line of defence. */
export function createLogger(options: ResolvedLoggingOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: [...PINO_REDACT_PATHS], censor: REDACTED },
    },
    openDestination(options.destination),
  );
}

function openDestination(destination: string | DestinationStream): DestinationStream {
  if (typeof destination !== 'string') return destination;
  // Synchronous writes: a CLI that exits right after a failure must not lose its last lines.
  if (destination === 'stderr') return pino.destination({ dest: 2, sync: true });
  if (destination === 'stdout') return pino.destination({ dest: 1, sync: true });
  return pino.destination({ dest: destination, mkdir: true, append: true, sync: true });
}
