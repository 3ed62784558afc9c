// What is registered as a secret, and how a registered value is hidden: the registry, names,
// URL and option credentials, and every surface of an error. The same over real HTTP, through
// the gateway and into a log file, is test/secrets-http.test.ts.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defineProvider } from '../core/define.js';
import { HyperAgentError, ServerError, ToolArgumentsError, toHyperAgentError } from '../core/errors.js';
import { checkProviderSettings } from '../core/provider-settings.js';
import { MIN_SECRET_LENGTH, REDACTED, redactHeaders, redactSecrets, registerSecret } from '../core/redact.js';
import { redactCause } from '../core/secret-cause.js';
import { isSecretName } from '../core/secret-names.js';
import { registerOptionSecrets } from '../core/secret-options.js';
import { SecretRegistry } from '../core/secret-registry.js';
import { registerHeaderValue, registerSettingsSecrets, registerUrlSecrets } from '../core/secret-sources.js';

let counter = 0;
/** A value no key-shape pattern knows: only the registry can hide it. */
const fresh = (label: string): string => `${label}-${(counter += 1)}-q7Zr2mXk9Lw4`;

/** Every way an error is commonly shown. */
function surfaces(error: Error): string {
  const chain: unknown[] = [];
  for (let cause: unknown = error.cause; cause !== undefined && chain.length < 10; cause = (cause as Error).cause) chain.push(cause);
  return [
    error.message,
    String(error),
    error.stack,
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    JSON.stringify((error as HyperAgentError).body),
    ...chain.flatMap((cause) => [String(cause), (cause as Error).stack, inspect(cause, { depth: 10 }), JSON.stringify(cause)]),
  ].join('\n');
}

describe('the registry', () => {
  it(`ignores values shorter than ${MIN_SECRET_LENGTH} characters, and registers the rest`, () => {
    const registry = new SecretRegistry();
    registry.add('EMPTY');
    registry.add('a');
    registry.add('1234567');
    expect(registry.size).toBe(0);
    registry.add('12345678');
    expect(registry.replace('key 12345678 and 1234567', REDACTED)).toBe(`key ${REDACTED} and 1234567`);
  });

  it('finds a value as written, URL-encoded and JSON-escaped, and a longer value whole before a shorter one inside it', () => {
    const registry = new SecretRegistry();
    registry.add('abc/def+ghi"jk');
    registry.add('outer-inner-value');
    registry.add('inner-value');
    const text = `a=abc/def+ghi"jk b=${encodeURIComponent('abc/def+ghi"jk')} c=${JSON.stringify('abc/def+ghi"jk')} d=outer-inner-value`;
    expect(registry.replace(text, '#')).toBe('a=# b=# c="#" d=#');
  });

  it('sees a value registered after it last compiled', () => {
    const registry = new SecretRegistry();
    registry.add('first-secret-1');
    expect(registry.foundIn('second-secret-2')).toBe(false);
    registry.add('second-secret-2');
    expect(registry.foundIn('second-secret-2')).toBe(true);
  });

  it('past a few dozen forms (a prefix scan instead of one RegExp), still replaces every value, longest first, side by side', () => {
    const registry = new SecretRegistry();
    const values = Array.from({ length: 60 }, (_, index) => `${String.fromCharCode(65 + (index % 26))}${index}-value-${'x'.repeat(index % 7)}`);
    values.forEach((value) => registry.add(value));
    registry.add('A0-value-and-more');
    registry.add('ünïcode-sécret-✓');
    expect(registry.size).toBeGreaterThan(24);
    const text = `start ${values.join(' ')} ${values[5]}${values[6]} A0-value-and-more ünïcode-sécret-✓ end`;
    const replaced = registry.replace(text, '#');
    expect(replaced).toBe(`start ${values.map(() => '#').join(' ')} ## # # end`);
    expect(registry.foundIn('nothing to see here at all')).toBe(false);
    expect(registry.foundIn(`tail ${values[59]}`)).toBe(true);
  });

  it('treats regular-expression characters in a value literally', () => {
    const registry = new SecretRegistry();
    registry.add('a.b*c+d?(e)[f]{g}|h^$\\');
    expect(registry.replace('x a.b*c+d?(e)[f]{g}|h^$\\ y aXbbc', '#')).toBe('x # y aXbbc');
  });
});

describe('credential names', () => {
  it.each(['Authorization', 'x-api-key', 'api-key', 'Ocp-Apim-Subscription-Key', 'x-goog-api-key', 'apiKey', 'APIKey', 'private_key', 'privateKey', 'sessionToken', 'access_token', 'client-secret', 'password', 'Cookie', 'set-cookie', 'sig', 'key', 'X-Amz-Security-Token'])('%s is one', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each(['maxTokens', 'max_tokens', 'totalTokens', 'model', 'monkey', 'content-type', 'anthropic-version', 'keyboard', 'tokenizer', 'code', 'oauthorize'])('%s is not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('what a backend is configured with', () => {
  it('registers the API key, every header value (and the token after its scheme), and URL credentials', () => {
    const apiKey = fresh('apikey');
    const custom = fresh('apim');
    const bearer = fresh('bearer');
    const query = fresh('query');
    const password = fresh('pass');
    registerSettingsSecrets({
      apiKey,
      headers: { 'Ocp-Apim-Subscription-Key': custom, 'X-Proxy-Auth': `Bearer ${bearer}` },
      baseURL: `https://proxy-user-77:${password}@gw.example.com/v1?key=${query}&api-version=2024-10-21`,
    });
    const text = redactSecrets(`${apiKey} ${custom} ${bearer} ${query} ${password} user proxy-user-77 version 2024-10-21`);
    expect(text).toBe(`${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} user ${REDACTED} version 2024-10-21`);
  });

  it('registers a Basic header as its encoded form and the decoded user and password', () => {
    const password = fresh('basic-pass');
    const encoded = Buffer.from(`someone-1234:${password}`).toString('base64');
    registerHeaderValue(`Basic ${encoded}`);
    expect(redactSecrets(`${encoded} someone-1234 ${password}`)).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it('registers percent-encoded URL credentials in both forms', () => {
    const password = 'p@ss:w/rd-9123';
    registerUrlSecrets(`https://u-ser-0042:${encodeURIComponent(password)}@h.example.com/?token=${encodeURIComponent('tok en+9931')}`);
    expect(redactSecrets(`${password} ${encodeURIComponent(password)} tok en+9931`)).not.toMatch(/p@ss|p%40ss|tok en/);
  });

  it('registers what a provider constructed in code gets (checkProviderSettings), before it can throw', () => {
    const custom = fresh('code-header');
    const password = fresh('code-pass');
    checkProviderSettings('TestProvider', { headers: { 'x-tenant-key': custom } });
    expect(redactSecrets(custom)).toBe(REDACTED);
    // Port 99999: not a URL, so nothing is registered from it, yet the message hides its credentials.
    const baseURL = `https://proxy-user:${password}@gw.example.com:99999/v1`;
    expect(() => checkProviderSettings('TestProvider', { baseURL })).toThrow(/must be an absolute URL/);
    expect(() => checkProviderSettings('TestProvider', { baseURL })).not.toThrow(password);
  });

  it('finds a multi-line value (a PEM key) by its lines, however many times it was JSON-encoded', () => {
    const line = fresh('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    const pem = `-----BEGIN PRIVATE KEY-----\n${line}\n-----END PRIVATE KEY-----\n`;
    registerSecret(pem);
    const twice = JSON.stringify(JSON.stringify({ assertion: pem }));
    expect(redactSecrets(twice)).not.toContain(line);
  });

  it('leaves text without credentials alone, and keeps ${ENV} references readable', () => {
    const text = 'openai-compatible returned HTTP 500: the model llama3.2 is loading; Basic authentication required; Token exchange failed; "apiKey": "${KEY}", ?key=${GOOGLE_KEY}';
    expect(redactSecrets(text)).toBe(text);
  });

  it('hides URL credentials and credential query parameters it was never told about', () => {
    expect(redactSecrets('to https://bob:hunter2@10.0.0.1/v1 and https://x.example.com/v1?alt=sse&key=AIzaFAKE123&sig=abc%2Fdef')).toBe(
      `to https://${REDACTED}@10.0.0.1/v1 and https://x.example.com/v1?alt=sse&key=${REDACTED}&sig=${REDACTED}`,
    );
  });
});

describe('provider options a provider marks secret', () => {
  const schema = {
    type: 'object',
    $defs: { token: { type: 'string', 'x-secret': true } },
    properties: {
      region: { type: 'string' },
      serviceAccount: { type: 'object', properties: { clientEmail: { type: 'string' }, privateKey: { type: 'string', 'x-secret': true } } },
      sessionToken: { $ref: '#/$defs/token' },
      refreshTokens: { type: 'array', items: { $ref: '#/$defs/token' } },
      credentials: { 'x-secret': true },
      extra: { type: 'object', additionalProperties: { type: 'string', 'x-secret': true } },
      either: { anyOf: [{ type: 'string' }, { type: 'object', properties: { secret: { type: 'string', 'x-secret': true } } }] },
    },
  };

  it('registers every value under an "x-secret": true node, through $ref, items, additionalProperties and anyOf', () => {
    const values = Array.from({ length: 8 }, (_, index) => fresh(`opt${index}`));
    const options = {
      region: 'europe-west4',
      serviceAccount: { clientEmail: 'svc@project.iam.example.com', privateKey: `-----BEGIN PRIVATE KEY-----\n${values[0]}\n-----END PRIVATE KEY-----\n` },
      sessionToken: values[1],
      refreshTokens: [values[2], values[3]],
      credentials: { nested: { deep: values[4] } },
      extra: { anything: values[5] },
      either: { secret: values[6] },
    };
    registerOptionSecrets({ optionsSchema: schema }, options);
    const text = redactSecrets(JSON.stringify(options));
    for (const value of values.slice(0, 7)) expect(text).not.toContain(value);
    // Not marked: still readable.
    expect(text).toContain('europe-west4');
    expect(text).toContain('svc@project.iam.example.com');
  });

  it('registers the values at secretOptions paths, with * for any key or index', () => {
    const values = [fresh('path0'), fresh('path1'), fresh('path2')];
    registerOptionSecrets({ secretOptions: ['auth.clientSecret', 'keys.*'] }, { auth: { clientSecret: values[0], clientId: 'client-id-visible' }, keys: [values[1], { v: values[2] }] });
    const text = redactSecrets(values.join(' ') + ' client-id-visible');
    expect(text).toBe(`${REDACTED} ${REDACTED} ${REDACTED} client-id-visible`);
  });

  it('defineProvider checks secretOptions', () => {
    const create = () => ({}) as never;
    expect(() => defineProvider({ name: 'p', create, secretOptions: 'apiToken' as never })).toThrow(/secretOptions/);
    expect(() => defineProvider({ name: 'p', create, secretOptions: [''] })).toThrow(/secretOptions/);
    expect(defineProvider({ name: 'p', create, secretOptions: ['apiToken'] }).secretOptions).toEqual(['apiToken']);
  });
});

describe('every surface of an error', () => {
  it('message, String, stack, JSON, inspect, body, request id, provider code and the cause chain hide a registered value', () => {
    const key = fresh('error-surface');
    registerSecret(key);
    const root = Object.assign(new TypeError(`socket said ${key}`), { code: 'E_X', details: { echoed: key, list: [key] } });
    const middle = new Error(`wrapped ${key}`, { cause: root });
    const error = new ServerError(`upstream said ${key}`, { requestId: `req-${key}`, providerCode: key, body: { error: { message: key, [key]: 1 } }, cause: middle });
    const shown = surfaces(error);
    expect(shown).not.toContain(key);
    expect(shown).toContain(REDACTED);
    // The copies keep what the originals were.
    const cause = error.cause as Error & { cause: TypeError & { code: string; details: { list: string[] } } };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.cause).toBeInstanceOf(TypeError);
    expect(cause.cause.name).toBe('TypeError');
    expect(cause.cause.code).toBe('E_X');
    expect(cause.cause.details.list).toEqual([REDACTED]);
    // The originals are not touched.
    expect(root.message).toContain(key);
  });

  it('keeps a cause without a secret as the same object', () => {
    const cause = Object.assign(new Error('ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(new ServerError('down', { cause }).cause).toBe(cause);
    expect(redactCause(cause)).toBe(cause);
  });

  it('copes with a cyclic cause and with class instances it does not look into', () => {
    const key = fresh('cycle');
    registerSecret(key);
    const cyclic = new Error(`cyclic ${key}`) as Error & { self?: unknown; when?: Date };
    cyclic.self = cyclic;
    cyclic.when = new Date(0);
    const copy = redactCause(cyclic) as typeof cyclic;
    expect(copy.self).toBe(copy);
    expect(copy.when).toBe(cyclic.when);
    expect(inspect(copy, { depth: 10 })).not.toContain(key);
  });

  it('toJSON and inspect redact a secret registered after the error was made, and fields a subclass adds', () => {
    const late = fresh('late');
    const error = new ToolArgumentsError('t', 'id', `{"a": "${late}"`);
    registerSecret(late);
    expect(JSON.stringify(error)).not.toContain(late);
    expect(inspect(error, { depth: 10 })).not.toContain(late);
    expect(inspect({ wrapped: error }, { depth: 10 })).not.toContain(late);
  });

  it('toHyperAgentError of a thrown value with a secret', () => {
    const key = fresh('thrown');
    registerSecret(key);
    expect(surfaces(toHyperAgentError(new RangeError(`bad ${key}`)))).not.toContain(key);
    expect(surfaces(toHyperAgentError(`plain string ${key}`))).not.toContain(key);
  });
});

describe('redactHeaders', () => {
  it('hides credential-named headers and registered values in any header', () => {
    const key = fresh('header-echo');
    registerSecret(key);
    expect(redactHeaders({ 'Ocp-Apim-Subscription-Key': 'anything', location: `https://x.example.com/${key}`, 'set-cookie': ['a=b'], 'content-type': 'application/json' })).toEqual({
      'Ocp-Apim-Subscription-Key': REDACTED,
      location: `https://x.example.com/${REDACTED}`,
      'set-cookie': REDACTED,
      'content-type': 'application/json',
    });
  });
});

describe('HyperAgentError stays what it was', () => {
  it('instanceof, name, code and JSON shape', () => {
    const error = new ServerError('plain', { status: 500, provider: 'p' });
    expect(error).toBeInstanceOf(HyperAgentError);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'ServerError', code: 'HA_SERVER', message: 'plain', status: 500, provider: 'p' });
    expect(inspect(error)).toContain('ServerError: plain');
  });
});
