// The AWS code (the bedrock provider, its protocol, the bundled @smithy packages) loads only when a
// config has a bedrock backend. Reads the built dist/: run under the build lock
// (`flock /tmp/ha-build.lock npx vitest run test/providers/bedrock-cold-start.test.ts`).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
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

function loadedBuiltins(backend: Record<string, unknown>): string[] {
  const script = `
    const { createHyperAgent } = await import(${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)});
    const agent = await createHyperAgent({ config: { backends: { a: ${JSON.stringify(backend)} } }, env: {} });
    agent.backend('a').modelInfo();
    process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13))));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })) as string[];
}

describe('cold start without a bedrock backend is unchanged', () => {
  const awsChunk = readdirSync(join(dist, 'core')).find((name) => /^aws-.*\.js$/.test(name));

  it('the AWS packages are a chunk of their own, reached from the bedrock entry and not from the library, CLI or gateway', () => {
    expect(awsChunk).toBeDefined();
    const aws = join(dist, 'core', awsChunk!);
    expect(readFileSync(aws, 'utf8')).toContain('aws4_request');
    expect(staticClosure(join(dist, 'plugins', 'bedrock', 'index.js'))).toContain(aws);
    for (const entry of ['index.js', 'cli/main.js', 'server/index.js', 'plugins/openai/index.js', 'plugins/anthropic/index.js']) {
      const closure = [...staticClosure(join(dist, entry))];
      expect(closure, entry).not.toContain(aws);
      expect(closure.some((file) => file.includes(`${join('plugins', 'bedrock')}`)), entry).toBe(false);
      // Nothing from the bedrock provider or its protocol was bundled into a shared chunk.
      for (const file of closure) expect(readFileSync(file, 'utf8'), file).not.toContain('BedrockConverseStreamTransform');
    }
  });

  it('node:zlib (the event-stream CRC) loads with a bedrock backend, not with an openai one', () => {
    const plain = loadedBuiltins({ provider: 'openai', apiKey: 'unused-test-key' });
    const bedrock = loadedBuiltins({ provider: 'bedrock', model: 'us.amazon.nova-2-lite-v1:0', options: { region: 'us-east-1' } });
    expect(plain).not.toContain('zlib');
    expect(bedrock).toContain('zlib');
    expect(bedrock).toContain('crypto');
  });
});
