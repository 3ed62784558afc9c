import { createOptionsValidator } from '../../core/validate-options.js';
import { loggingDefaults, type LoggingJsonOptions } from './logging-options.generated.js';

export const PLUGIN_NAME = 'logging';

export type LogLevel = NonNullable<LoggingJsonOptions['level']>;

/** What pino writes JSON lines to: an object with `write(line)`. */
export interface DestinationStream {
  write(line: string): void;
}

/**
 * The logging plugin's options: those a JSON config can hold are written once, in
 * `loggingOptionsSchema` below (their type and defaults are generated from it); in code,
 * `destination` may also be a stream.
 */
export interface LoggingOptions extends Omit<LoggingJsonOptions, 'destination'> {
  /**
   * Where JSON lines go: `'stderr'`, `'stdout'`, or a file path (appended to, its directory
   * created). In code, any pino `DestinationStream` (an object with `write(line)`) also works,
   * which is how tests capture the lines.
   * @default 'stderr'
   */
  readonly destination?: string | DestinationStream;
}

export interface ResolvedLoggingOptions {
  readonly level: LogLevel;
  readonly destination: string | DestinationStream;
  readonly logContent: boolean;
  readonly name: string;
}

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const loggingOptionsSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Options of the logging plugin',
  type: 'object',
  properties: {
    level: {
      enum: LOG_LEVELS,
      default: 'info',
      description: 'The lowest level written. Calls log at info (request, usage, cost), warn (retries, budget), error (failures) and debug (attempts, first token, text deltas, options).',
    },
    destination: {
      type: 'string',
      minLength: 1,
      default: 'stderr',
      description: '"stderr", "stdout", or a file path the JSON lines are appended to.',
    },
    logContent: { type: 'boolean', default: false, description: 'Log message contents, tool arguments and outputs. Secrets are redacted all the same.' },
    name: { type: 'string', minLength: 1, default: 'hyperagent', description: 'The name field of every line.' },
  },
  additionalProperties: false,
} as const;

const validate = createOptionsValidator(PLUGIN_NAME, loggingOptionsSchema);

export function isDestinationStream(value: unknown): value is DestinationStream {
  return typeof value === 'object' && value !== null && typeof (value as DestinationStream).write === 'function';
}

export function resolveLoggingOptions(options: LoggingOptions | undefined): ResolvedLoggingOptions {
  const given = options ?? {};
  // A stream can only come from code; the schema describes what JSON config can hold.
  const { destination, ...rest } = given;
  validate(isDestinationStream(destination) ? rest : given);
  return {
    level: given.level ?? loggingDefaults.level,
    destination: destination ?? loggingDefaults.destination,
    logContent: given.logContent ?? loggingDefaults.logContent,
    name: given.name ?? loggingDefaults.name,
  };
}
