import { createHyperAgent } from '../core/create-hyper-agent.js';
import { enableModelSpecs } from '../core/model-spec.js';
import { createGateway, DEFAULT_HOST, DEFAULT_PORT, gatewayOptionsFromConfig, type GatewayLogger } from '../server/index.js';
import type { CliCommand, CliIO } from './main.js';
import { CliError, UsageError } from './cli-errors.js';

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (got "${value}").`);
  return port;
}

/**
 * One line per request and problem, on stderr, so stdout carries only the `listening on` line. The
 * request lines of one turn of the event loop go out in one write (a write to a pipe is a system
 * call that wakes its reader: one per request was 8% of the gateway's CPU at 64 in flight); a
 * warning or an error goes out at once, after the lines before it. `flush()` writes what is held.
 */
function stderrLogger(io: CliIO): GatewayLogger & { flush(): void } {
  const style = io.errorStyle;
  const line = (data: Record<string, unknown>, message: string): string => {
    if (message !== 'request') return `${message} ${JSON.stringify(data)}`;
    const { method, path, status, backend, durationMs, disconnected } = data as Record<string, string | number | boolean | undefined>;
    return [method, path, status ?? '-', backend, `${durationMs}ms`, disconnected ? '(client disconnected)' : undefined].filter((part) => part !== undefined).join(' ');
  };
  let held = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (held === '') return;
    const text = held;
    held = '';
    io.stderr.write(text);
  };
  const now = (text: string): void => {
    flush();
    io.stderr.write(text);
  };
  return {
    info: (data, message) => {
      held += `${style.dim(line(data, message))}\n`;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    warn: (data, message) => now(`${style.yellow(line(data, message))}\n`),
    error: (data, message) => now(`${style.red(line(data, message))}\n`),
    flush,
  };
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** `hyperagent serve`: the OpenAI-compatible gateway over the config's backends, until SIGINT/SIGTERM. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the backends over HTTP: OpenAI Chat Completions, Responses, completions, embeddings, models, and Anthropic Messages.',
  usage: 'hyperagent serve [--config PATH] [--host 127.0.0.1] [--port 8787]',
  help: [
    '  -c, --config PATH  the config file (default: searched from here up)',
    `      --host HOST    the address to bind (default: the config's server.host, else ${DEFAULT_HOST})`,
    `  -p, --port PORT    the port; 0 picks a free one (default: server.port, else ${DEFAULT_PORT})`,
  ].join('\n'),
  details: [
    'A request\'s "model" names a backend, or is provider/model for a built-in provider',
    '(e.g. "anthropic/claude-sonnet-4-6", its key from ANTHROPIC_API_KEY; at most 64 such names).',
    'With server.apiKeys (or HYPERAGENT_API_KEY) set, clients must send "Authorization: Bearer <key>"',
    '(or "x-api-key: <key>" on /v1/messages). server.strictParams makes a field a backend cannot',
    'honour a 400; server.responsesTtlMs is how long stored responses last. Ctrl-C or SIGTERM stops the server after',
    'the requests in flight, streams included, have finished.',
  ].join('\n'),
  options: { config: { type: 'string', short: 'c' }, host: { type: 'string' }, port: { type: 'string', short: 'p' } },
  async run({ values }, io) {
    const port = parsePort(values.port as string | undefined);
    const agent = await createHyperAgent({ config: values.config as string | undefined, cwd: io.cwd, env: io.env });
    // A request's "model" may also be provider/model (a built-in provider whose key is set).
    await enableModelSpecs(agent.kernel, { configDir: agent.configDir, env: io.env });
    const settings = gatewayOptionsFromConfig(agent.config.server, io.env, { host: values.host as string | undefined, port });
    const logger = stderrLogger(io);
    const gateway = createGateway({ ...settings, kernel: agent.kernel, logger });
    const stopped = nextSignal();
    let address;
    try {
      address = await gateway.listen();
    } catch (error) {
      const { code, address: host, port: busy } = error as NodeJS.ErrnoException & { address?: string; port?: number };
      if (code === 'EADDRINUSE') throw new CliError(`${host}:${busy} is already in use: stop what listens there, or pick another port with --port.`);
      if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new CliError(`Cannot listen on ${host}:${busy} (${code}): pick another --host or --port.`);
      throw error;
    }
    io.stdout.write(`listening on ${address.url}\n`);
    const auth = settings.apiKeys?.length || io.env.HYPERAGENT_API_KEY ? 'bearer key required' : 'no auth';
    io.stderr.write(io.errorStyle.dim(`OpenAI base URL: ${address.url}/v1 · Anthropic base URL: ${address.url} · models (backends): ${agent.backendNames.join(', ')} · ${auth} · Ctrl-C stops\n`));

    const signal = await stopped;
    logger.flush();
    io.stderr.write(io.errorStyle.dim(`${signal}: finishing the requests in flight… (again to quit at once)\n`));
    const force = (): void => {
      logger.flush();
      io.stderr.write('stopped without waiting\n');
      process.exit(130);
    };
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    try {
      await gateway.close();
      await agent.close();
    } finally {
      process.off('SIGINT', force);
      process.off('SIGTERM', force);
    }
    logger.flush();
    io.stderr.write(io.errorStyle.dim('stopped\n'));
    return 0;
  },
};
