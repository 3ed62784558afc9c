import type { ServerConfig } from '../core/config.js';
import { interpolateEnv } from '../core/env.js';
import type { GatewayOptions } from './gateway-options.js';

/** What `hyperagent serve` takes from the command line, over the config file's `server` block. */
export interface GatewayConfigOverrides {
  readonly host?: string;
  readonly port?: number;
}

/**
 * The gateway options a config file's `server` block sets (validated by the config schema already),
 * `${VAR}`s in `apiKeys` read from `env`; the command line's host and port win over the file's. An
 * option the block leaves out is left out here too, so `createGateway`'s default applies.
 */
export function gatewayOptionsFromConfig(
  settings: ServerConfig | undefined,
  env: Readonly<Record<string, string | undefined>>,
  overrides: GatewayConfigOverrides = {},
): Omit<GatewayOptions, 'kernel'> {
  const server = settings ?? {};
  const host = overrides.host ?? server.host;
  const port = overrides.port ?? server.port;
  const apiKeys = server.apiKeys === undefined ? undefined : interpolateEnv(server.apiKeys, env, '/server/apiKeys');
  return {
    ...(host === undefined ? {} : { host }),
    ...(port === undefined ? {} : { port }),
    ...(apiKeys === undefined ? {} : { apiKeys }),
    ...(server.maxBodyBytes === undefined ? {} : { maxBodyBytes: server.maxBodyBytes }),
    ...(server.cors === undefined ? {} : { cors: server.cors }),
    ...(server.strictParams === undefined ? {} : { strictParams: server.strictParams }),
    ...(server.responsesTtlMs === undefined ? {} : { responsesTtlMs: server.responsesTtlMs }),
    env,
  };
}
