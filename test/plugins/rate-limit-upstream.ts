// A loopback Chat Completions upstream that records when each request arrives, on the manual clock
// the rate limiter runs on, and a driver that moves that clock only while no byte is on the wire:
// the order of arrivals is the real one, the minutes between them are the clock's.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kernel } from '../../core/kernel.js';
import { estimateInferTokens } from '../../core/estimate.js';
import type { CallContext, InferRequest, KernelNotice } from '../../core/hooks.js';
import { createOpenAICompatibleBackend } from '../../plugins/openai-compatible/index.js';
import { createRateLimitPlugin, type Clock, type RateLimitOptions } from '../../plugins/rate-limit/index.js';
import { settle, type ManualClock } from './rate-limit-clock.js';

export interface Arrival {
  /** On the manual clock. */
  readonly at: number;
  /** The first user message, which names the call. */
  readonly content: string;
  /** The total tokens the upstream reported for it. */
  readonly tokens: number;
}

export interface UpstreamAnswer {
  readonly totalTokens?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** An error status answers with an OpenAI-style error body instead. @default 200 */
  readonly status?: number;
}

export interface UpstreamOptions {
  /** Clock milliseconds between a request's arrival and its answer. @default 0 */
  readonly latencyMs?: number;
  /** The answer to the request whose first message is `content`, `index`th to arrive. */
  readonly answer?: (content: string, index: number) => UpstreamAnswer;
}

export class RecordingUpstream {
  readonly arrivals: Arrival[] = [];
  /** Requests whose bytes are on their way in, or whose answer is on its way out. */
  private reading = 0;
  private answered = 0;
  private server: Server | undefined;
  port = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: UpstreamOptions = {},
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get answersSent(): number {
    return this.answered;
  }

  get busy(): boolean {
    return this.reading > 0;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => this.receive(request, response));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const at = this.clock.now();
    this.reading += 1;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { content: string }[] };
      const content = body.messages.find((message) => typeof message.content === 'string')?.content ?? '';
      const answer = this.options.answer?.(content, this.arrivals.length) ?? {};
      const tokens = answer.totalTokens ?? 15;
      this.arrivals.push({ at, content, tokens });
      this.reading -= 1;
      const respond = (): void => {
        this.answered += 1;
        const status = answer.status ?? 200;
        response.writeHead(status, { 'content-type': 'application/json', ...answer.headers });
        if (status >= 400) {
          response.end(JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }));
          return;
        }
        response.end(
          JSON.stringify({
            id: `chatcmpl-${this.arrivals.length}`,
            object: 'chat.completion',
            created: 0,
            model: 'recorded-1',
            choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: tokens - 1, completion_tokens: 1, total_tokens: tokens },
          }),
        );
      };
      if ((this.options.latencyMs ?? 0) > 0) this.clock.setTimer(respond, this.options.latencyMs!);
      else respond();
    });
  }
}

export interface WireRigOptions {
  readonly rateLimit: RateLimitOptions;
  /** The backend's whole-request timeout. */
  readonly timeoutMs?: number;
  readonly upstream?: UpstreamOptions;
  /** Clock milliseconds between admission and the request leaving (connection set-up, a busy event loop), per attempt. */
  readonly beforeWireMs?: (attempt: number) => number;
}

/** A kernel with the rate-limit plugin on `clock`, one backend `wire` on a recording upstream, and the driver (for a ManualClock). */
export async function startWireRig(clock: ManualClock | Clock, options: WireRigOptions) {
  const upstream = await new RecordingUpstream(clock, options.upstream).start();
  const kernel = new Kernel();
  createRateLimitPlugin({ clock }).apply(kernel, options.rateLimit);
  kernel.register('wire', createOpenAICompatibleBackend({ provider: 'openai-compatible', baseURL: upstream.origin, model: 'recorded-1', timeoutMs: options.timeoutMs }));
  const waits: Extract<KernelNotice, { type: 'rate-limit-wait' }>[] = [];
  kernel.hooks.onNotice.tap('wire-rig', (notice) => {
    if (notice.type === 'rate-limit-wait') waits.push(notice);
  });
  /** Each call's estimate as the plugin makes it, by its first message. */
  const estimates = new Map<string, number>();
  let sent = 0;
  let returned = 0;
  let attempts = 0;
  // Inside the rate limiter (lower stage, closer to the wire): the time from admission to the wire, on the clock.
  kernel.hooks.wrapAttempt.tap({ name: 'wire-rig', stage: 50 }, (attempt) => async (context: CallContext) => {
    const request = context.request as InferRequest;
    const content = request.messages[0].content as string;
    estimates.set(content, estimateInferTokens(request, options.rateLimit.defaultOutputTokens ?? 1024, context.modelInfo().maxOutputTokens).totalTokens);
    const delay = options.beforeWireMs?.(attempts++) ?? 0;
    if (delay > 0) await new Promise<void>((resolve) => clock.setTimer(resolve, delay));
    sent += 1;
    try {
      return await attempt(context);
    } finally {
      returned += 1;
    }
  });
  // Bytes are on the wire while a request was sent and has not arrived, or was answered and not yet read.
  const busy = (): boolean => upstream.busy || sent > upstream.arrivals.length || upstream.answersSent > returned;

  /** Run until every call settled: wait for the wire to go quiet, then jump the clock to its next timer. */
  async function drive(calls: readonly Promise<unknown>[]): Promise<PromiseSettledResult<unknown>[]> {
    let done = false;
    const all = Promise.allSettled(calls).then((results) => {
      done = true;
      return results;
    });
    for (let steps = 0; !done; steps += 1) {
      if (steps > 100_000) throw new Error('wire rig: the calls did not finish');
      const quietBy = Date.now() + 10_000;
      do await settle(5);
      while (busy() && Date.now() < quietBy);
      if (busy()) throw new Error(`wire rig: the wire stayed busy (sent ${sent}, arrived ${upstream.arrivals.length}, answered ${upstream.answersSent}, returned ${returned})`);
      await settle();
      if (done || busy()) continue;
      if (!('fireNext' in clock) || !clock.fireNext()) throw new Error('wire rig: calls are waiting but no timer is set');
    }
    return all;
  }

  return { kernel, upstream, estimates, waits, client: kernel.backend('wire'), drive, stop: () => upstream.stop() };
}
