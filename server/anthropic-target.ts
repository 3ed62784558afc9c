import type { IncomingHttpHeaders } from 'node:http';
import type { Kernel } from '../core/kernel.js';
import { KernelBackend } from '../core/kernel-backend.js';
import type { InferOptions, LLMBackend } from '../core/types.js';
import { isAnthropicWireEndpoint } from '../protocols/anthropic-messages/index.js';
import { AnthropicPassthroughBackend, type AnthropicWireBackend } from './anthropic-passthrough-backend.js';
import type { AnthropicCall } from './anthropic-request.js';

/** Client headers an Anthropic backend gets as they came. */
const FORWARDED = ['anthropic-beta', 'anthropic-version'] as const;

/** How one Messages request reaches its backend. */
export interface AnthropicTarget {
  /** Kernel-wrapped: every call runs the hooks. */
  readonly backend: LLMBackend;
  /** Set when the backend speaks Anthropic: the request goes as it came. */
  readonly passthrough: AnthropicPassthroughBackend | undefined;
  /** What the translation could not carry, for `x-hyperagent-warnings`. */
  readonly warnings: readonly string[];
  /** Fields for the wire the answering backend speaks (`InferOptions.wireFields`). */
  readonly wireFields: InferOptions['wireFields'];
}

export function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') out[name] = value;
  }
  return out;
}

/** The Anthropic backend behind a kernel-wrapped one, if that is what it is (a group is not: its targets vary per attempt). */
export function anthropicInner(backend: LLMBackend): AnthropicWireBackend | undefined {
  return backend instanceof KernelBackend && isAnthropicWireEndpoint(backend.inner) ? (backend.inner as AnthropicWireBackend) : undefined;
}

/**
 * An Anthropic backend gets the client's request as it came, through a pass-through backend the
 * kernel wraps under the same name (so limits, budget, approval, logging and cost apply as to any
 * call on it). Any other backend — OpenAI, OpenRouter, OpenAI-compatible, a group — gets the
 * translation, and what did not survive it is named in the warnings.
 */
export function chooseTarget(kernel: Kernel, name: string, backend: LLMBackend, call: AnthropicCall, headers: Record<string, string>): AnthropicTarget {
  const inner = anthropicInner(backend);
  if (inner) {
    const passthrough = new AnthropicPassthroughBackend(inner, call, headers);
    return { backend: kernel.wrap(name, passthrough), passthrough, warnings: [], wireFields: undefined };
  }
  const group = backend.provider === ROUTING;
  const warnings = translationWarnings(call, group ? 'answering' : backend.provider, headers);
  return { backend, passthrough: undefined, warnings: group ? warnings.map((warning) => `unless an Anthropic target answers: ${warning}`) : warnings, wireFields: translatedWireFields(call, group) };
}

/** The provider name of a backend group: its targets, and so their wires, vary per attempt. */
const ROUTING = 'routing';
/** What the Anthropic builder sets itself from the call's options. */
const BUILT = new Set(['model', 'stream', 'max_tokens']);

/**
 * `metadata.user_id` is Chat Completions' `user`. A group's Anthropic targets get the client's body
 * as it came (the fields merge over what the backend built from the translation).
 */
function translatedWireFields(call: AnthropicCall, group: boolean): InferOptions['wireFields'] {
  const fields: Record<string, Record<string, unknown>> = {};
  const user = call.options.metadata?.user;
  if (typeof user === 'string') fields['openai-chat'] = { user };
  if (group) fields['anthropic-messages'] = Object.fromEntries(Object.entries(call.body).filter(([key]) => !BUILT.has(key) && key !== '__proto__'));
  return Object.keys(fields).length > 0 ? fields : undefined;
}

function translationWarnings(call: AnthropicCall, provider: string, headers: Record<string, string>): string[] {
  const warnings: string[] = [];
  const { notes } = call;
  if (call.untranslated.length > 0) warnings.push(`not carried to the ${provider} backend: ${call.untranslated.join(', ')}`);
  for (const [type, param] of notes.dropped) warnings.push(`${type} blocks dropped (the first at ${param}): the ${provider} backend has no equivalent`);
  if (notes.uncachedBlocks.length > 0) warnings.push(`cache_control not carried on ${notes.uncachedBlocks.join(', ')}: only text blocks carry it off Anthropic`);
  // OpenRouter passes cache_control on text parts to the providers that cache (Anthropic's models); others cache by themselves or not at all.
  if (notes.cachedText && provider !== 'openrouter') warnings.push(`cache_control not carried: the ${provider} backend takes no cache breakpoints (OpenAI caches long prompts automatically)`);
  if (headers['anthropic-beta'] !== undefined) warnings.push(`anthropic-beta not forwarded to the ${provider} backend: ${headers['anthropic-beta']}`);
  return warnings;
}

/** Warnings as one header value; long lists are cut so the header stays writable. */
export function warningsHeader(warnings: readonly string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  const text = warnings.join('; ');
  return { 'x-hyperagent-warnings': text.length > 4000 ? `${text.slice(0, 4000)}…` : text };
}
