import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { loadConfig } from '../core/config.js';
import { isHyperAgentError } from '../core/errors.js';
import { validatePriceFile, type PriceFile, type PriceFileEntry } from '../core/price-file.js';
import { loadPriceOverrides, priceFor, priceSnapshotInfo, pricesOfModel } from '../core/pricing-table.js';
import { CliError, UsageError } from './cli-errors.js';
import type { CliArgs, CliCommand, CliIO } from './main.js';
import { priceEntryLines } from './price-lines.js';

/** The longest `update --from URL` waits for the file. */
const FETCH_TIMEOUT_MS = 30_000;

/** Apply the config's `"prices"` file, if a config is found (or given) and names one. */
async function applyConfigPrices(configPath: string | undefined, cwd: string): Promise<string | undefined> {
  let loaded;
  try {
    loaded = await loadConfig({ configPath, cwd });
  } catch (error) {
    // Without a config the shipped prices still answer; a config given by name must load.
    if (configPath !== undefined) throw error;
    return undefined;
  }
  if (loaded.config.prices === undefined) return undefined;
  const file = resolve(loaded.configDir, loaded.config.prices);
  loadPriceOverrides(file);
  return file;
}

async function readSource(from: string, cwd: string): Promise<{ readonly text: string; readonly name: string }> {
  if (/^https?:\/\//i.test(from)) {
    let response: Response;
    try {
      response = await fetch(from, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
    } catch (error) {
      throw new CliError(`Could not fetch ${from}: ${(error as Error).message}. Check the URL, or download the file and use --from FILE.`);
    }
    if (!response.ok) throw new CliError(`${from} answered HTTP ${response.status}: expected a price file ({"models": [ … ]}).`);
    return { text: await response.text(), name: from };
  }
  const path = resolve(cwd, from);
  try {
    return { text: readFileSync(path, 'utf8'), name: path };
  } catch (error) {
    throw new CliError(`Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}): give --from a price file or an http(s) URL.`);
  }
}

function parse(text: string, name: string): PriceFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${name} is not JSON (${(error as Error).message}): expected a price file ({"models": [ … ]}).`);
  }
  return validatePriceFile(raw, name);
}

const key = (entry: PriceFileEntry): string => `${entry.provider.toLowerCase()}\u0000${entry.id.toLowerCase()}`;

/** `prices update --from FILE|URL`: merge into the output file (same provider and id: replaced). */
async function update(values: CliArgs['values'], io: CliIO): Promise<number> {
  const from = values.from;
  if (typeof from !== 'string' || from === '') throw new UsageError('prices update needs --from FILE|URL: the price file to read.');
  const incoming = parse((await readSource(from, io.cwd)).text, from);
  const output = resolve(io.cwd, typeof values.output === 'string' ? values.output : 'prices.json');
  const existing = existsSync(output) ? parse(readFileSync(output, 'utf8'), output).models : [];
  const replaced = new Set(incoming.models.map(key));
  const models = [...existing.filter((entry) => !replaced.has(key(entry))), ...incoming.models];
  writeFileSync(output, `${JSON.stringify({ format: 1, models }, null, 2)}\n`);
  const shown = relative(io.cwd, output) || output;
  io.stdout.write(`wrote ${shown}: ${models.length} model${models.length === 1 ? '' : 's'} (${incoming.models.length} from ${from}, ${models.length - incoming.models.length} kept)\n`);
  io.stdout.write(`Name it in the config to use it: "prices": "./${shown.replace(/\\/g, '/')}"\n`);
  return 0;
}

async function show(model: string | undefined, values: CliArgs['values'], io: CliIO): Promise<number> {
  const overrides = await applyConfigPrices(values.config as string | undefined, io.cwd);
  const info = priceSnapshotInfo();
  const provider = values.provider as string | undefined;
  if (model === undefined) {
    if (values.json === true) return void io.stdout.write(`${JSON.stringify({ ...info, overrides }, null, 2)}\n`), 0;
    io.stdout.write(`prices: ${info.source} ${info.version}, as of ${info.date}: ${info.models} models of ${info.providers.length} providers (${info.providers.join(', ')})\n`);
    io.stdout.write(`HyperAgent's own dated entries (models the database lacks): ${info.ownEntries}\n`);
    io.stdout.write(`override file: ${overrides ?? 'none (name one in the config: "prices": "./prices.json")'}\n`);
    return 0;
  }
  const found = provider === undefined ? pricesOfModel(model) : [priceFor(provider, model)].flatMap((entry) => (entry ? [{ provider, entry }] : []));
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(found.map(({ provider: name, entry }) => ({ provider: name, model, ...entry })), null, 2)}\n`);
    return found.length > 0 ? 0 : 1;
  }
  if (found.length === 0) {
    io.stdout.write(`${model}: cost unknown: no price${provider ? ` on ${provider}` : ''} in ${info.source} ${info.version} (as of ${info.date}), HyperAgent's own entries or ${overrides ?? 'an override file'}.\n`);
    io.stdout.write(`Give it one: hyperagent prices update --from FILE|URL, then name the file in the config ("prices": "./prices.json").\n`);
    return 1;
  }
  io.stdout.write(`${found.map(({ provider: name, entry }) => priceEntryLines(name, model, entry).join('\n')).join('\n\n')}\n`);
  return 0;
}

/** `hyperagent prices [model]` and `hyperagent prices update --from FILE|URL`. */
export const pricesCommand: CliCommand = {
  name: 'prices',
  summary: "Show the price data's source and date, a model's prices, or write a price override file.",
  usage: 'hyperagent prices [MODEL] [--provider NAME] [--config PATH] [--json]\n       hyperagent prices update --from FILE|URL [--output PATH]',
  help: [
    '  -p, --provider NAME  only this provider (openai, anthropic, google, bedrock, azure, …)',
    '  -c, --config PATH    the config whose "prices" file applies (default: searched from here up)',
    '      --json           print JSON',
    '      --from FILE|URL  (update) a price file to merge in: {"models": [{"provider", "id", "pricing", "source", "date"}]}',
    '  -o, --output PATH    (update) the file to write (default: ./prices.json)',
  ].join('\n'),
  details:
    'Prices come from the override file the config names ("prices"), then HyperAgent\'s own dated entries, then the shipped snapshot of @pydantic/genai-prices. A model none of them has costs "unknown", never $0.',
  options: { provider: { type: 'string', short: 'p' }, config: { type: 'string', short: 'c' }, json: { type: 'boolean' }, from: { type: 'string' }, output: { type: 'string', short: 'o' } },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length > 1 && positionals[0] !== 'update') throw new UsageError(`prices takes one model id, got ${positionals.length}: ${positionals.join(' ')}`);
    try {
      if (positionals[0] === 'update') return await update(values, io);
      return await show(positionals[0], values, io);
    } catch (error) {
      if (isHyperAgentError(error) && error.code === 'HA_CONFIG') throw new CliError(error.message);
      throw error;
    }
  },
};
