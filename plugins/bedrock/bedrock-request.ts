import type { InferOptions, LLMMessage, ToolSchema } from '../../core/types.js';
import { buildBedrockConverseRequest, type BedrockConverseRequestPlan } from '../../protocols/bedrock-converse/index.js';
import { BEDROCK_PROVIDER } from './bedrock-errors.js';
import { bedrockModelInfo, bedrockThinking } from './bedrock-models.js';
import type { BedrockGuardrailOptions } from './bedrock-options.js';

export interface BedrockRequestSettings {
  readonly model: string;
  readonly maxTokens: number | undefined;
  readonly guardrail?: BedrockGuardrailOptions;
  readonly cacheTools?: boolean;
}

export interface BedrockRequestPlan extends BedrockConverseRequestPlan {
  readonly model: string;
}

// Our own mapping of an effort to a Claude thinking budget, for a call that gives an effort but no budget.
const BUDGET_FOR_EFFORT = { minimal: 1024, low: 2048, medium: 8192, high: 16_384 } as const;
/** Room for the answer after the thinking budget, when the call sets no `maxTokens` (Claude needs max_tokens > budget_tokens). */
const ANSWER_TOKENS = 4096;

/** The Converse body for a call, with the model family's own fields (thinking) in `additionalModelRequestFields`. */
export function buildBedrockRequest(messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, settings: BedrockRequestSettings): BedrockRequestPlan {
  const model = options.model ?? settings.model;
  const extra: Record<string, unknown> = {};
  const warnings: string[] = [];
  let maxTokens = options.maxTokens ?? settings.maxTokens;
  let sampling = options;
  const thinking = options.thinking;
  if (thinking && (thinking.budgetTokens !== undefined || thinking.effort !== undefined)) {
    switch (bedrockThinking(model)) {
      case 'budget': {
        const budget = thinking.budgetTokens ?? BUDGET_FOR_EFFORT[thinking.effort ?? 'medium'];
        extra.thinking = { type: 'enabled', budget_tokens: budget };
        const limit = bedrockModelInfo(model, BEDROCK_PROVIDER).maxOutputTokens;
        maxTokens ??= limit === undefined ? budget + ANSWER_TOKENS : Math.min(limit, budget + ANSWER_TOKENS);
        if (options.temperature !== undefined || options.topP !== undefined) {
          // Claude refuses temperature with thinking on (and top_p below 0.95): dropped rather than failing the call.
          warnings.push(`${BEDROCK_PROVIDER}: Claude takes no temperature or top_p with thinking on; they were not sent.`);
          sampling = { ...options, temperature: undefined, topP: undefined };
        }
        break;
      }
      case 'nova':
        extra.reasoningConfig = { type: 'enabled', maxReasoningEffort: thinking.effort === 'minimal' ? 'low' : (thinking.effort ?? 'medium') };
        break;
      case 'effort':
        extra.reasoning_effort = thinking.effort === 'minimal' ? 'low' : (thinking.effort ?? 'medium');
        break;
      default:
        warnings.push(`${BEDROCK_PROVIDER}: ${model} takes no thinking settings that HyperAgent knows; \`thinking\` was not sent (set it through providerOptions.additionalModelRequestFields).`);
    }
  }
  const plan = buildBedrockConverseRequest(messages, tools, { ...sampling, maxTokens }, {
    provider: BEDROCK_PROVIDER,
    additionalModelRequestFields: extra,
    cacheTools: settings.cacheTools,
    promptCaching: bedrockModelInfo(model, BEDROCK_PROVIDER).capabilities.promptCaching,
    guardrailConfig: settings.guardrail
      ? { guardrailIdentifier: settings.guardrail.identifier, guardrailVersion: settings.guardrail.version, ...(settings.guardrail.trace ? { trace: settings.guardrail.trace } : {}) }
      : undefined,
  });
  return { model, body: plan.body, warnings: [...warnings, ...plan.warnings] };
}
