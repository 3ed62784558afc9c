import type { Logger } from 'pino';
import { definePlugin } from '../../core/define.js';
import { Stage, type CallContext, type CostEvent, type KernelNotice } from '../../core/hooks.js';
import type { Kernel } from '../../core/kernel.js';
import { CallBatchedFile } from './call-batched-file.js';
import { createLogger, openDestination } from './create-logger.js';
import { logLineSink } from './log-line-sink.js';
import { callFields, costFields, embedRequestFields, errorFields, errorSummary, outputFields, requestFields, usageBindings, type StreamTiming } from './log-fields.js';
import { loggingOptionsSchema, PLUGIN_NAME, resolveLoggingOptions, type LoggingOptions, type ResolvedLoggingOptions } from './logging-options.js';
import { redactValue } from './redact-value.js';
import { UsageLine } from './usage-line.js';

export { PLUGIN_NAME, loggingOptionsSchema, type LoggingOptions, type LogLevel } from './logging-options.js';
export { redactValue } from './redact-value.js';
export { setLogLineSink, type LogLineSink } from './log-line-sink.js';

const TIMING = Symbol('logging.timing');

/**
 * Structured JSON lines (pino) about every call: request, attempts, retries, rate-limit waits,
 * time to first token, usage, cost and errors. Secrets are redacted everywhere; message contents
 * only with `logContent`. Hooks are tapped only for levels that are on, so a quiet logger costs
 * nothing per call, and per-event stream hooks only at debug.
 */
export default definePlugin<LoggingOptions>({
  name: PLUGIN_NAME,
  optionsSchema: loggingOptionsSchema,
  apply(kernel: Kernel, options: LoggingOptions) {
    const resolved = resolveLoggingOptions(options);
    const terminal = resolved.destination === 'stderr' || resolved.destination === 'stdout';
    const destination = (terminal && logLineSink(kernel)) || openDestination(resolved.destination);
    tapHooks(kernel, createLogger(resolved, destination), resolved);
    if (destination instanceof CallBatchedFile) flushAsCallsEnd(kernel, destination);
  },
});

/**
 * A log file gets a call's lines right after the call ends (once that turn of the event loop is
 * over, so the write is not on the caller's path) when the process is then idle; while other calls
 * run — or the caller has started its next one by the end of that turn — within 20 ms, so a busy
 * process writes its lines a batch at a time instead of paying one system call per call (a write
 * per sequential call was ~10 µs of the ~100 µs a call takes on loopback). Whatever waits is
 * written at exit.
 */
function flushAsCallsEnd(kernel: Kernel, file: CallBatchedFile): void {
  const busy = (): boolean => kernel.callsInFlight > 0;
  kernel.hooks.onCallEnd.tap({ name: PLUGIN_NAME, stage: Stage.OBSERVE }, () => {
    if (kernel.callsInFlight === 0) file.flushAfterTurn(busy);
    else file.flushSoon();
  });
}

function tapHooks(kernel: Kernel, logger: Logger, options: ResolvedLoggingOptions): void {
  const hooks = kernel.hooks;
  const tap = { name: PLUGIN_NAME, stage: Stage.OBSERVE };
  const debug = logger.isLevelEnabled('debug');
  const info = logger.isLevelEnabled('info');
  const warn = logger.isLevelEnabled('warn');

  // At info a call is one line, written when it ends (usage, or error), which carries the request's
  // shape too; the line as the request starts is for debug, or for reading the messages sent.
  const requestLevel = debug ? 'debug' : info && options.logContent ? 'info' : undefined;
  if (requestLevel) {
    hooks.beforeInfer.tap(tap, (request, context) => {
      logger[requestLevel](requestFields(request, context, options.logContent, debug), 'request');
      return request;
    });
    hooks.beforeEmbed.tap(tap, (request, context) => {
      logger[requestLevel](embedRequestFields(request, context, options.logContent), 'request');
      return request;
    });
  }
  if (info) {
    const usageLoggers = new UsageLoggers(logger);
    const usageLine = UsageLine.for(logger);
    hooks.onCost.tap(tap, (cost, context) => {
      const timing = context.state.get(TIMING) as StreamTiming | undefined;
      const child = usageLoggers.for(cost, context);
      if (usageLine !== undefined) usageLine.write(child, cost, context, timing);
      else child.info(costFields(cost, context, timing), cost.partial ? 'partial usage of a failed call' : 'usage');
    });
  }
  if (debug || (info && options.logContent)) {
    hooks.afterInfer.tap(tap, (output, context) => {
      logger.info(outputFields(output, context, options.logContent), 'response');
      return output;
    });
  }
  if (debug) {
    hooks.onStreamEvent.tap(tap, (event, context) => {
      if (event.type !== 'text-delta') return;
      const timing = timingOf(context);
      timing.textDeltas = (timing.textDeltas ?? 0) + 1;
    });
  }
  if (logger.isLevelEnabled('error')) {
    hooks.onError.tap(tap, (error, context) => {
      logger.error(errorFields(error, context, debug), `call failed: ${error.code}`);
    });
  }
  if (warn) {
    hooks.onNotice.tap(tap, (notice, context) => logNotice(logger, notice, context, info, debug));
  }
}

/**
 * The usage line is written once per call: its backend, provider, model and operation are the
 * bindings of a child logger per combination, which pino serialises once, not on every line (a
 * quarter of what the line cost).
 */
class UsageLoggers {
  private static readonly MAX = 256;
  private readonly children = new Map<string, Logger>();

  constructor(private readonly logger: Logger) {}

  for(cost: CostEvent, context: CallContext): Logger {
    const key = `${context.backendName}\u0000${context.provider}\u0000${cost.model}\u0000${context.operation}`;
    let child = this.children.get(key);
    if (child === undefined) {
      if (this.children.size >= UsageLoggers.MAX) this.children.clear();
      child = this.logger.child(usageBindings(cost, context));
      this.children.set(key, child);
    }
    return child;
  }
}

function logNotice(logger: Logger, notice: KernelNotice, context: CallContext, info: boolean, debug: boolean): void {
  switch (notice.type) {
    case 'first-token':
      // Kept for the usage line (time to first token, tokens per second) whatever the level.
      timingOf(context).firstTokenAfterMs = notice.afterMs;
      if (debug) logger.debug({ event: 'first-token', ...callFields(context), afterMs: Math.round(notice.afterMs) }, 'first token');
      return;
    case 'attempt-start':
      if (debug) logger.debug({ event: 'attempt', ...callFields(context), attempt: notice.attempt }, 'attempt');
      return;
    case 'retry':
      logger.warn({ event: 'retry', ...callFields(context), attempt: notice.attempt, delayMs: notice.delayMs, ...errorSummary(notice.error) }, `retrying after ${notice.error.code}`);
      return;
    case 'rate-limit-wait':
      if (info) logger.info({ event: 'rate-limit-wait', ...callFields(context), waitedMs: Math.round(notice.waitedMs), reason: notice.reason }, 'waited for rate limit');
      return;
    case 'approval':
      if (info) logger.info({ event: 'approval', ...callFields(context), toolName: notice.toolName, decision: notice.decision, reason: notice.reason }, 'approval');
      return;
    case 'budget':
      logger.warn({ event: 'budget', ...callFields(context), spentUsd: notice.spentUsd, budgetUsd: notice.budgetUsd, crossed: notice.crossed }, notice.crossed ? 'budget exceeded' : 'budget nearly spent');
      return;
    case 'routing': {
      const { type: _type, ...data } = notice;
      const fields = { ...callFields(context), ...data, event: `routing-${notice.event}` };
      if (notice.event === 'attempt') {
        if (debug) logger.debug(fields, `group ${notice.group} tries ${notice.target}`);
      } else if (notice.event === 'recovered') {
        if (info) logger.info(fields, `group ${notice.group}: ${notice.target} recovered`);
      } else logger.warn(fields, notice.event === 'fallback' ? `group ${notice.group} falls back from ${notice.from}` : `group ${notice.group}: ${notice.event}`);
      return;
    }
    case 'price-unknown':
    case 'price-mismatch': {
      const { type, message, ...data } = notice;
      logger.warn({ event: type, ...callFields(context), ...data }, message);
      return;
    }
    case 'custom':
      if (debug) logger.debug({ event: 'notice', ...callFields(context), name: notice.name, data: redactValue(notice.data) }, notice.name);
      return;
  }
}

function timingOf(context: CallContext): StreamTiming {
  let timing = context.state.get(TIMING) as StreamTiming | undefined;
  if (!timing) {
    timing = {};
    context.state.set(TIMING, timing);
  }
  return timing;
}
