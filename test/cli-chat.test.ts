import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayServer } from './replay-server.js';
import { cleanEnv, ensureBuilt, runCli, tempConfig } from './cli-helpers.js';

const TOKYO = 'What time is it in Tokyo?';
const LABEL = 'using demo backend (mock, no API key set — set ANTHROPIC_API_KEY or OPENAI_API_KEY to use a real model)';
const COST_LINE = /^tokens: \d+ in, \d+ out, \d+ cached · cost: \$0\.\d+ \(made-up mock prices\) · 2 calls · \d+\.\d+s$/m;
// What get_current_time returns, e.g. `Friday, 27 November 2026, 18:23:21 in Asia/Tokyo (UTC+09:00)`.
const TOKYO_TIME = /(\w+day), (\d{1,2}) (\w+) (\d{4}), (\d{2}):(\d{2}):(\d{2}) in Asia\/Tokyo \(UTC\+09:00\)/;

/** The tool's result as the stderr line shows it, checked against the real clock. */
function toolResult(stderr: string): string {
  const line = stderr.split('\n').find((text) => text.startsWith('  ← '));
  expect(line, stderr).toBeDefined();
  const result = line!.slice('  ← '.length);
  const match = TOKYO_TIME.exec(result);
  expect(match, result).not.toBeNull();
  const [, , day, month, year, hours, minutes, seconds] = match!;
  const shown = Date.parse(`${day} ${month} ${year} ${hours}:${minutes}:${seconds} GMT+0900`);
  expect(Math.abs(shown - Date.now())).toBeLessThan(120_000);
  return result;
}

beforeAll(ensureBuilt);

describe('hyperagent chat on the default config without API keys (the README command)', () => {
  it('streams the demo answer built from the real get_current_time result, shows the tool call and a cost line, exits 0', async () => {
    const { status, stdout, stderr } = await runCli(['chat', TOKYO]);
    expect(status, stderr).toBe(0);
    const result = toolResult(stderr);
    expect(stdout).toBe(`Let me check the clock in Tokyo.\nIt is ${result}.\n`);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(LABEL);
    expect(lines[1]).toBe('→ get_current_time({"timezone":"Asia/Tokyo"})');
    expect(lines[2]).toBe(`  ← ${result}`);
    expect(lines[3]).toMatch(COST_LINE);
    expect(lines).toHaveLength(4);
    expect(stderr).not.toContain('\u001b[');
  });

  it('--json prints only the final output as JSON, with costUsd', async () => {
    const { status, stdout, stderr } = await runCli(['chat', '--json', TOKYO]);
    expect(status, stderr).toBe(0);
    const output = JSON.parse(stdout);
    const result = toolResult(stderr);
    expect(output).toMatchObject({ content: `It is ${result}.`, finishReason: 'stop', steps: 2, metadata: { provider: 'mock', backend: 'demo' } });
    expect(output.costUsd).toBeGreaterThan(0);
    expect(output.costUsd).toBeGreaterThan(output.metadata.costUsd);
    expect(output.totalTokenUsage.totalTokens).toBeGreaterThan(output.tokenUsage.totalTokens);
    expect(stderr).toMatch(COST_LINE);
  });

  it('--no-stream answers through infer, and still shows the tool call as it happens', async () => {
    const { status, stdout, stderr } = await runCli(['chat', '--no-stream', TOKYO]);
    expect(status, stderr).toBe(0);
    expect(stdout).toBe(`Let me check the clock in Tokyo.\nIt is ${toolResult(stderr)}.\n`);
    expect(stderr).toContain('→ get_current_time({"timezone":"Asia/Tokyo"})');
  });

  it('reads the prompt from stdin when it is not a terminal and no prompt is given', async () => {
    const { status, stdout, stderr } = await runCli(['chat'], { input: `${TOKYO}\n` });
    expect(status, stderr).toBe(0);
    expect(stdout).toContain(`It is ${toolResult(stderr)}.`);
  });

  it('--no-tools offers no tool, so the demo has nothing to call', async () => {
    const { status, stdout, stderr } = await runCli(['chat', '--no-tools', 'hello']);
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/^Hello! I am the demo backend/);
    expect(stderr).not.toContain('→');
  });
});

describe('hyperagent chat -i: a conversation, one turn per line', () => {
  it('keeps the conversation: the second answer sees the first turn, /reset forgets it', async () => {
    const config = await tempConfig({
      backends: { echo: { provider: 'mock', options: { defaultResponse: { text: 'now: {{lastUserMessage}}; before: {{previousUserMessage}}' } } } },
    });
    try {
      const { status, stdout, stderr } = await runCli(['chat', '-i', '--config', config.file], { input: 'first question\nsecond question\n/reset\nthird question\n' });
      expect(status, stderr).toBe(0);
      expect(stdout.split('\n')).toEqual(['now: first question; before: ', 'now: second question; before: first question', 'now: third question; before: ', '']);
      expect(stderr).toContain('(conversation cleared)');
      expect(stderr).toMatch(/session: 3 turns, 3 calls · cost: \$0\.\d+/);
    } finally {
      await config.cleanup();
    }
  });

  it('answers the demo question with the tool, then goes on with the conversation', async () => {
    const { status, stdout, stderr } = await runCli(['chat', '--interactive'], { input: `${TOKYO}\nthanks\n` });
    expect(status, stderr).toBe(0);
    expect(stdout).toContain(`It is ${toolResult(stderr)}.\n`);
    expect(stdout).toMatch(/You said: “thanks”/);
  });
});

describe('hyperagent chat errors', () => {
  it('an unknown backend is one line on stderr and exit 1', async () => {
    const { status, stdout, stderr } = await runCli(['chat', '--backend', 'cluade', 'hi']);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('hyperagent: No backend is named "cluade". Did you mean "claude"? Configured: claude, gpt, local, demo. [HA_CONFIG]\n');
  });

  it('a backend whose key is not set names the variable, without a stack trace', async () => {
    const { status, stderr } = await runCli(['chat', '--backend', 'claude', 'hi']);
    expect(status).toBe(1);
    expect(stderr).toBe('hyperagent: backend "claude": environment variable ANTHROPIC_API_KEY is not set (used at /backends/claude/apiKey). Set it or remove the key. [HA_MISSING_API_KEY]\n');
  });

  it('running out of iterations is a typed error; HYPERAGENT_DEBUG=1 adds the stack', async () => {
    const quiet = await runCli(['chat', '--max-iterations', '1', TOKYO]);
    expect(quiet.status).toBe(1);
    expect(quiet.stderr.trimEnd().split('\n').at(-1)).toMatch(/^hyperagent: .*\[HA_MAX_ITERATIONS\]$/);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const debug = await runCli(['chat', '--max-iterations', '1', TOKYO], { env: { HYPERAGENT_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/MaxIterationsError: [\s\S]*\n\s+at /);
  });

  it('bad usage exits 2: a bad --max-iterations, no prompt on an empty pipe, --json in a conversation', async () => {
    expect(await runCli(['chat', '--max-iterations', 'many', 'hi'])).toMatchObject({ status: 2, stderr: 'hyperagent: --max-iterations must be a whole number of at least 1 (got "many").\n' });
    expect(await runCli(['chat'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^hyperagent: No prompt: give one as an argument, pipe one on stdin/) });
    expect((await runCli(['chat', '-i', '--json'])).status).toBe(2);
  });

  it('has help', async () => {
    const { status, stdout } = await runCli(['chat', '--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: hyperagent chat \[PROMPT\] \[options\]/);
    for (const option of ['--backend NAME', '--config PATH', '--system TEXT', '--no-stream', '--json', '--max-iterations N', '--no-tools', '/reset', '/exit']) expect(stdout).toContain(option);
  });
});

describe('hyperagent chat with a real provider (OpenAI, served by the replay server)', () => {
  const replay = new ReplayServer();
  let config: Awaited<ReturnType<typeof tempConfig>>;

  beforeAll(async () => {
    await replay.start();
    config = await tempConfig({
      defaultBackend: ['claude', 'gpt', 'demo'],
      backends: {
        claude: { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', apiKey: '${ANTHROPIC_API_KEY}' },
        gpt: { provider: 'openai', model: 'gpt-4o-mini', apiKey: '${OPENAI_API_KEY}', baseURL: `${replay.baseURL}/v1` },
        demo: { provider: 'mock' },
      },
      plugins: [['retry', { maxRetries: 0 }], ['cost', {}]],
    });
  });

  afterAll(async () => {
    await replay.stop();
    await config.cleanup();
  });

  it('picks gpt when only OPENAI_API_KEY is set and streams the recorded answer end to end', async () => {
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize: 200 });
    const key = 'sk-test-cli-0123456789abcdef';
    const { status, stdout, stderr } = await runCli(['chat', '--config', config.file, 'Count to five.'], { env: { OPENAI_API_KEY: key } });
    expect(status, stderr).toBe(0);
    expect(stdout).toBe('1, 2, 3, 4, 5\n');
    expect(stderr.split('\n')[0]).toBe('using gpt backend (openai, gpt-4o-mini)');
    expect(stderr).toMatch(/tokens: 14 in, 13 out, 0 cached · (cost: \$0\.\d+|cost unknown) · 1 call · /);
    expect(stderr + stdout).not.toContain(key);
    const request = replay.requests.at(-1)!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${key}`);
    expect(request.body).toMatchObject({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Count to five.' }] });
    expect((request.body as { tools: { function: { name: string } }[] }).tools.map((tool) => tool.function.name)).toEqual(['get_current_time', 'calculate']);
  });

  it('--json over the real provider path prints the output with costUsd', async () => {
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse' });
    const { status, stdout, stderr } = await runCli(['chat', '--json', '--config', config.file, 'Count to five.'], { env: { OPENAI_API_KEY: 'sk-test-cli-json' } });
    expect(status, stderr).toBe(0);
    const output = JSON.parse(stdout);
    expect(output).toMatchObject({ content: '1, 2, 3, 4, 5', finishReason: 'stop', metadata: { provider: 'openai', backend: 'gpt' }, tokenUsage: { promptTokens: 14, completionTokens: 13 } });
    expect(output).toHaveProperty('costUsd');
  });

  it('--no-stream sends a non-streaming request (infer) and prints the whole answer', async () => {
    replay.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const { status, stdout, stderr } = await runCli(['chat', '--no-stream', '--config', config.file, 'How are you?'], { env: { OPENAI_API_KEY: 'sk-test-cli-infer' } });
    expect(status, stderr).toBe(0);
    expect(stdout).toBe("Hello! I'm just a computer program, so I don't have feelings, but I'm here to help you. How can I assist you today?\n");
    expect(stderr).toMatch(/tokens: 13 in, 31 out, 0 cached · /);
    expect((replay.requests.at(-1)!.body as { stream?: boolean }).stream).not.toBe(true);
  });

  it('without any key the same config falls back to the mock, labelled as such', async () => {
    const { status, stderr } = await runCli(['chat', '--config', config.file, 'hi'], { env: cleanEnv() });
    expect(status, stderr).toBe(0);
    expect(stderr.split('\n')[0]).toBe(LABEL);
  });
});
