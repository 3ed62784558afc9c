import type { Kernel } from '../../core/kernel.js';

/** Where a front end wants the log lines a config sends to "stderr" or "stdout": an object with `write(line)`. */
export interface LogLineSink {
  write(line: string): void;
}

const sinks = new WeakMap<Kernel, LogLineSink>();

/**
 * Send this kernel's log lines that would go to the terminal ("stderr" or "stdout") to `sink`
 * instead: the CLI holds them while an answer is being written, so a JSON line never lands in the
 * middle of it. A file destination is left alone. Call before the plugin is applied.
 */
export function setLogLineSink(kernel: Kernel, sink: LogLineSink): void {
  sinks.set(kernel, sink);
}

/** The sink set for `kernel`, if any. */
export function logLineSink(kernel: Kernel): LogLineSink | undefined {
  return sinks.get(kernel);
}
