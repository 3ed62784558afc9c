/** The header naming what a backend could not honour (a field dropped, a setting not sent): never silence. */
export const WARNINGS_HEADER = 'x-hyperagent-warnings';

// A header line is not a log: keep it under common proxies' 8 KiB header limits.
const MAX_HEADER_CHARS = 4_000;

/** `{ 'x-hyperagent-warnings': 'a; b' }`, or `{}` when there is nothing to say. Duplicates are said once. */
export function warningsHeader(...lists: readonly (readonly unknown[] | undefined)[]): Record<string, string> {
  const warnings = [...new Set(lists.flatMap((list) => (list ?? []).filter((item): item is string => typeof item === 'string' && item !== '')))];
  if (warnings.length === 0) return {};
  const text = warnings.join('; ').replace(/[\r\n]+/g, ' ');
  return { [WARNINGS_HEADER]: text.length > MAX_HEADER_CHARS ? `${text.slice(0, MAX_HEADER_CHARS)}...` : text };
}
