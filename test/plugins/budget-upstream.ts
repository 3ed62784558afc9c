// A loopback upstream for budget tests: OpenAI chat completions and Anthropic messages on
// 127.0.0.1 that record every request as it arrives, and can hold answers until the test lets
// them go, so that calls are really in flight together.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Arrival {
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** Resolves when the client closed the connection or the answer ended. */
  readonly closed: Promise<void>;
}

/** Usage the upstream reports, in OpenAI's names. */
export interface UpstreamUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
}

export class BudgetUpstream {
  readonly arrivals: Arrival[] = [];
  /** Answers wait here while `holding`. */
  private readonly held: (() => void)[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  /** Hold every answer until `releaseAll()`. */
  holding = false;
  usage: UpstreamUsage = { prompt_tokens: 10, completion_tokens: 100 };
  /** Model id in the answers (priced by the provider's catalog). */
  model = 'gpt-4o-mini';

  get baseURL(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('BudgetUpstream: start() it first');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.answer(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.releaseAll();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  releaseAll(): void {
    for (const release of this.held.splice(0)) release();
  }

  get heldCount(): number {
    return this.held.length;
  }

  reset(): void {
    this.releaseAll();
    this.arrivals.length = 0;
    this.holding = false;
    this.usage = { prompt_tokens: 10, completion_tokens: 100 };
    this.model = 'gpt-4o-mini';
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += chunk;
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const closed = new Promise<void>((resolve) => response.on('close', resolve));
    this.arrivals.push({ path: request.url ?? '', body, closed });
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    if (response.destroyed) return;
    const path = request.url ?? '';
    if (path.endsWith('/messages')) return this.anthropicStream(response);
    if (body.stream === true) return this.openaiStream(response);
    const usage = { ...this.usage, total_tokens: this.usage.prompt_tokens + this.usage.completion_tokens };
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: `chatcmpl-${this.arrivals.length}`,
        object: 'chat.completion',
        created: 1755690953,
        model: this.model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok', refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage,
      }),
    );
  }

  /** OpenAI: one content chunk (no usage yet), then it hangs until the client goes away. */
  private openaiStream(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1755691077, model: this.model, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }], usage: null };
    response.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  /** Anthropic: `message_start` reporting the input tokens, one text delta, then it hangs until the client goes away. */
  private anthropicStream(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    response.write(
      event('message_start', {
        message: {
          model: this.model,
          id: 'msg_budget',
          type: 'message',
          role: 'assistant',
          content: [],
          stop_reason: null,
          usage: { input_tokens: this.usage.prompt_tokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
        },
      }) +
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hel' } }),
    );
  }
}
