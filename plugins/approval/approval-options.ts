import type { Approver, ToolPolicy } from './approval-types.js';
import { createOptionsValidator } from '../../core/validate-options.js';
import { approvalDefaults, type ApprovalJsonOptions } from './approval-options.generated.js';

export const PLUGIN_NAME = 'approval';

const POLICIES: readonly ToolPolicy[] = ['allow', 'deny', 'ask'];

/**
 * The approval plugin's options: those a JSON config can hold are written once, in
 * `approvalOptionsSchema` below (their type and defaults are generated from it); `approver` is code only.
 */
export interface ApprovalOptions extends ApprovalJsonOptions {
  /**
   * Decides `ask`s. Code only (JSON config cannot hold a function); front ends install one after
   * loading config with `setApprover(kernel, approver)`. Without one, every `ask` is denied.
   * @default undefined
   */
  readonly approver?: Approver;
}

export interface ResolvedApprovalOptions {
  readonly tools: Readonly<Record<string, ToolPolicy>>;
  readonly default: ToolPolicy;
  readonly timeoutMs: number;
  readonly maxEstimatedCostUsd: number | undefined;
  readonly approver: Approver | undefined;
}

export const approvalOptionsSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Options of the approval plugin',
  type: 'object',
  properties: {
    tools: {
      type: 'object',
      additionalProperties: { enum: POLICIES },
      default: {},
      description:
        'Policy per tool name: allow, deny or ask. Keys are names or glob patterns (* any run of characters, ? one), e.g. { "delete_*": "ask", "read_file": "allow" }. An exact name wins over patterns; among patterns the longest wins.',
    },
    default: { enum: POLICIES, default: 'allow', description: 'Policy for tools no key matches. Tools marked dangerous: true ask instead.' },
    timeoutMs: { type: 'integer', minimum: 1, default: 60000, description: 'How long to wait for an approver, in milliseconds, before denying with reason "timed out".' },
    maxEstimatedCostUsd: {
      type: 'number',
      minimum: 0,
      description:
        "Ask the approver before sending a request estimated (prompt chars/4, plus maxTokens or the model's max output) to cost more than this many USD; a denial throws ApprovalDeniedError. Requests to models with unknown pricing are not asked about. Default: no request-cost approval.",
    },
  },
  additionalProperties: false,
} as const;

const validate = createOptionsValidator(PLUGIN_NAME, approvalOptionsSchema);

export function resolveApprovalOptions(options: ApprovalOptions | undefined): ResolvedApprovalOptions {
  const given = options ?? {};
  const { approver, ...jsonOptions } = given;
  validate(jsonOptions);
  if (approver !== undefined && typeof approver !== 'function') {
    throw new TypeError(`The ${PLUGIN_NAME} plugin got bad options: option "approver" must be a function (got ${typeof approver}).`);
  }
  return {
    tools: given.tools ?? approvalDefaults.tools,
    default: given.default ?? approvalDefaults.default,
    timeoutMs: given.timeoutMs ?? approvalDefaults.timeoutMs,
    maxEstimatedCostUsd: given.maxEstimatedCostUsd,
    approver,
  };
}
