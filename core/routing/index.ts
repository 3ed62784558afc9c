export { withAttemptedTargets } from './attempted-targets-error.js';
export {
  DEFAULT_FALLBACK_ON,
  FALLBACK_CODES,
  FALLBACK_KINDS,
  FALLBACK_ON_VALUES,
  FALLBACK_STATUSES,
  FallbackPolicy,
  type FallbackKind,
  type FallbackOn,
} from './fallback-policy.js';
export { groupModelInfo, ROUTING_PROVIDER } from './group-model-info.js';
export { planTargets, type Plan, type PlanInput } from './plan-targets.js';
export { registerConfiguredGroup, registerGroup, routingGroups, routingState } from './register-group.js';
export { RoutingGroup, type RoutingGroupState, type RoutingMetadata, type RoutingNoticeData, type RoutingTargetState } from './routing-group.js';
export { DEFAULT_COOLDOWN, resolveRoutingOptions, type ResolvedRoutingOptions, type ResolvedTarget, type RoutingGroupOptions } from './routing-options.js';
export { TargetHealth, type CooldownPolicy, type HealthChange, type TargetStatus } from './target-health.js';
