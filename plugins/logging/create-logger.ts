import { pino, type DestinationStream, type Logger } from 'pino';
import { CallBatchedFile } from './call-batched-file.js';
import type { ResolvedLoggingOptions } from './logging-options.js';
import { censorLogLine } from './redact-value.js';

/** The pino logger the plugin writes through, with credential paths censored as a second line of defence. */
export function createLogger(options: ResolvedLoggingOptions, destination: DestinationStream = openDestination(options.destination)): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      formatters: { log: censorLogLine },
    },
    destination,
  );
}

/** Where lines go. A file is a `CallBatchedFile`: the plugin flushes it as each call ends. */
export function openDestination(destination: string | DestinationStream): DestinationStream {
  if (typeof destination !== 'string') return destination;
  // Synchronous writes: a CLI that exits right after a failure must not lose its last lines.
  if (destination === 'stderr') return pino.destination({ dest: 2, sync: true });
  if (destination === 'stdout') return pino.destination({ dest: 1, sync: true });
  return CallBatchedFile.open(destination);
}
