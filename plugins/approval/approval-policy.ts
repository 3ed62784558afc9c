import type { ToolSchema } from '../../core/types.js';
import type { ToolCallApprovalRequest, ToolPolicy } from './approval-types.js';

export interface PolicyMatch {
  readonly policy: ToolPolicy;
  readonly because: ToolCallApprovalRequest['because'];
}

interface PatternRule {
  readonly pattern: string;
  readonly regex: RegExp;
  readonly policy: ToolPolicy;
}

/**
 * The configured policy, compiled once. Order of precedence: an exact name, then the longest
 * matching pattern, then `dangerous: true` on the tool (asks), then the default.
 */
export class ApprovalPolicy {
  private readonly exact = new Map<string, ToolPolicy>();
  private readonly patterns: PatternRule[] = [];

  constructor(
    tools: Readonly<Record<string, ToolPolicy>>,
    private readonly fallback: ToolPolicy,
  ) {
    for (const [pattern, policy] of Object.entries(tools)) {
      if (/[*?]/.test(pattern)) this.patterns.push({ pattern, regex: globToRegExp(pattern), policy });
      else this.exact.set(pattern, policy);
    }
    // Stable sort: equally long patterns keep their config order.
    this.patterns.sort((a, b) => b.pattern.length - a.pattern.length);
  }

  decide(toolName: string, tool: ToolSchema | undefined): PolicyMatch {
    const exact = this.exact.get(toolName);
    if (exact !== undefined) return { policy: exact, because: { source: 'pattern', pattern: toolName } };
    for (const rule of this.patterns) {
      if (rule.regex.test(toolName)) return { policy: rule.policy, because: { source: 'pattern', pattern: rule.pattern } };
    }
    if (tool?.dangerous) return { policy: 'ask', because: { source: 'dangerous' } };
    return { policy: this.fallback, because: { source: 'default' } };
  }
}

/** `*` matches any run of characters, `?` exactly one; everything else is literal. */
export function globToRegExp(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`, 's');
}

export function describeBecause(because: PolicyMatch['because']): string {
  switch (because.source) {
    case 'pattern':
      return `policy "${because.pattern}"`;
    case 'dangerous':
      return 'the tool is marked dangerous';
    case 'default':
      return 'the default policy';
  }
}
