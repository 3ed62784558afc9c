// The AWS code (the bedrock provider, its protocol, the bundled @smithy packages) loads only when a
// config has a bedrock backend, and `hyperagent models` lists bedrock backends with their prices. Reads the built dist/: run under the build lock
// (`flock /tmp/ha-build.lock npx vitest run test/providers/bedrock-build.test.ts`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');

/** Every file reachable from `entry` through static `import … from "./…"` (dynamic imports are not followed). */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s[^;]*?from\s*"(\.{1,2}\/[^"]+)"|(?:^|[;\n])\s*import\s*"(\.{1,2}\/[^"]+)"/g)) {
      visit(resolve(dirname(file), match[1] ?? match[2]));
    }
  };
  visit(entry);
  return seen;
}

function loadedBuiltins(backend: Record<string, unknown>, use = false): string[] {
  const script = `
    const { createHyperAgent } = await import(${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)});
    const agent = await createHyperAgent({ config: { backends: { a: ${JSON.stringify(backend)} } }, env: {} });
    agent.backend('a').modelInfo();
    // Port 9 (discard) on loopback: refused at once, after the stream has loaded what it needs.
    if (${use}) await agent.backend('a').inferStream([{ role: 'user', content: 'hi' }]).output().catch(() => undefined);
    process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13))));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })) as string[];
}

/** Files `file` imports with `import("./…")`. */
function dynamicImports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/import\("(\.{1,2}\/[^"]+)"\)/g)].map((match) => resolve(dirname(file), match[1]));
}

describe('cold start without a bedrock backend is unchanged', () => {
  const awsChunk = readdirSync(join(dist, 'core')).find((name) => /^aws-.*\.js$/.test(name));

  it('the AWS packages are a chunk of their own, imported by the bedrock provider on its first request, never from the library, CLI or gateway', () => {
    expect(awsChunk).toBeDefined();
    const aws = join(dist, 'core', awsChunk!);
    expect(readFileSync(aws, 'utf8')).toContain('aws4_request');
    const entry = join(dist, 'plugins', 'bedrock', 'index.js');
    // Not even loading the provider module loads them: they come with its first signed request or stream.
    expect(staticClosure(entry)).not.toContain(aws);
    expect(dynamicImports(entry).some((file) => staticClosure(file).has(aws))).toBe(true);
    for (const start of ['index.js', 'cli/main.js', 'server/index.js', 'plugins/openai/index.js', 'plugins/anthropic/index.js']) {
      const closure = [...staticClosure(join(dist, start))];
      expect(closure, start).not.toContain(aws);
      expect(closure.some((file) => file.includes(`${join('plugins', 'bedrock')}`)), start).toBe(false);
      // Nothing from the bedrock provider or its protocol was bundled into a shared chunk.
      for (const file of closure) expect(readFileSync(file, 'utf8'), file).not.toContain('BedrockConverseStreamTransform');
    }
  });

  it('node:zlib (the event-stream CRC) loads with the first stream of a bedrock backend, not when the backend is made', () => {
    const bedrock = { provider: 'bedrock', model: 'us.amazon.nova-2-lite-v1:0', baseURL: 'http://127.0.0.1:9', options: { region: 'us-east-1', accessKeyId: 'AKIACOLDSTART0000001', secretAccessKey: 'cold-start-secret-0123456789' } };
    expect(loadedBuiltins({ provider: 'openai', apiKey: 'unused-test-key' })).not.toContain('zlib');
    expect(loadedBuiltins(bedrock)).not.toContain('zlib');
    expect(loadedBuiltins(bedrock, true)).toContain('zlib');
  });
});

describe('hyperagent models', () => {
  it('lists bedrock backends with context window and prices (regional and global profiles), an unpriced one as unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-bedrock-models-'));
    writeFileSync(
      join(dir, 'hyperagent.config.json'),
      JSON.stringify({
        backends: {
          claude: { provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', options: { region: 'us-east-1' } },
          nova: { provider: 'bedrock', model: 'global.amazon.nova-2-lite-v1:0' },
          titan: { provider: 'bedrock', model: 'amazon.titan-embed-text-v2:0' },
        },
      }),
    );
    const listing = JSON.parse(execFileSync(process.execPath, [join(dist, 'cli', 'main.js'), 'models', '--json'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }));
    const byName = Object.fromEntries((listing.backends as { name: string }[]).map((entry) => [entry.name, entry]));
    expect(byName.claude).toMatchObject({ provider: 'bedrock', contextWindow: 200_000, maxOutputTokens: 64_000, pricing: { input: 3.3, output: 16.5, cachedInput: 0.33, cacheWrite: 4.125 } });
    expect(byName.nova).toMatchObject({ provider: 'bedrock', contextWindow: 1_000_000, pricing: { input: 0.3, output: 2.5, cachedInput: 0.075 } });
    expect(byName.titan).toMatchObject({ pricing: 'unknown', capabilities: { embeddings: true } });
  });
});
