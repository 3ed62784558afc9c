// Every built-in provider, made as a config makes it (its `create`), with a key, credential
// options and a secret-looking header value set: logging the backend — JSON.stringify,
// util.inspect with hidden properties, its `options` — shows none of the credentials.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDERS, loadProvider } from '../../core/plugin-loader.js';

const KEY = 'hyperagent-leakcheck-api-key-9f2c71';
const AWS_SECRET = 'hyperagent-leakcheck-aws-secret-4d1e';
const TOKEN = 'hyperagent-leakcheck-token-8a3b55';
const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nhyperagent-leakcheck-private-key\n-----END PRIVATE KEY-----\n';

/** Credential options per provider (the config's `options`), beside the shared `apiKey`. */
const CREDENTIAL_OPTIONS: Readonly<Record<string, Record<string, unknown>>> = {
  azure: { azureADToken: TOKEN },
  bedrock: { accessKeyId: 'AKIAHYPERAGENTLEAKCHK', secretAccessKey: AWS_SECRET, sessionToken: TOKEN, region: 'us-east-1' },
  vertex: { accessToken: TOKEN, project: 'leak-check', credentials: { type: 'service_account', client_email: 'ci@leak-check.iam.gserviceaccount.com', private_key: PRIVATE_KEY, project_id: 'leak-check' } },
};
const BASE_URL: Readonly<Record<string, string>> = { azure: 'https://leak-check.openai.azure.com/openai/v1', 'openai-compatible': 'http://127.0.0.1:9/v1' };
/** Providers whose backends must name a model (a deployment, a local server's model). */
const MODEL: Readonly<Record<string, string>> = { azure: 'my-deployment', 'openai-compatible': 'llama3.2', vllm: 'llama3.2', lmstudio: 'llama3.2' };

describe('no built-in backend shows its credentials when logged', () => {
  it.each(Object.keys(BUILTIN_PROVIDERS))('%s', async (name) => {
    const definition = await loadProvider(name, process.cwd());
    const config = { provider: name, apiKey: KEY, ...(MODEL[name] ? { model: MODEL[name] } : {}), ...(BASE_URL[name] ? { baseURL: BASE_URL[name] } : {}), ...(CREDENTIAL_OPTIONS[name] ? { options: CREDENTIAL_OPTIONS[name] } : {}) };
    const backend = definition.create(config, { backendName: 'leak-check', configDir: process.cwd(), env: {} });
    const copy = (backend as { withMaxTokens?: (maxTokens: number) => unknown }).withMaxTokens?.(16);
    const copies = copy === undefined ? [backend] : [backend, copy];
    for (const shown of copies) {
      const text = `${JSON.stringify(shown)}\n${inspect(shown, { depth: 12, showHidden: true })}\n${JSON.stringify((shown as { options?: unknown }).options ?? null)}`;
      for (const secret of [KEY, AWS_SECRET, TOKEN, 'hyperagent-leakcheck-private-key']) expect(text, `${name} shows a credential`).not.toContain(secret);
    }
  });
});
