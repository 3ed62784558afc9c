/**
 * Which model ids a price entry covers, as the price database writes it (`@pydantic/genai-prices`):
 * case-insensitive string tests, combined with `and` / `or`.
 */
export type ModelMatch =
  | { readonly equals: string }
  | { readonly starts_with: string }
  | { readonly ends_with: string }
  | { readonly contains: string }
  | { readonly regex: string }
  | { readonly or: readonly ModelMatch[] }
  | { readonly and: readonly ModelMatch[] };

const REGEXES = new Map<string, RegExp | null>();

function regex(source: string): RegExp | null {
  let compiled = REGEXES.get(source);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(source);
    } catch {
      // A broken pattern in an override file matches nothing rather than failing every call.
      compiled = null;
    }
    REGEXES.set(source, compiled);
  }
  return compiled;
}

/** Whether `modelId` (already lower-cased) is covered by `match`. */
export function matchesModel(match: ModelMatch, modelId: string): boolean {
  if ('or' in match) return match.or.some((part) => matchesModel(part, modelId));
  if ('and' in match) return match.and.every((part) => matchesModel(part, modelId));
  if ('equals' in match) return modelId === match.equals.toLowerCase();
  if ('starts_with' in match) return modelId.startsWith(match.starts_with.toLowerCase());
  if ('ends_with' in match) return modelId.endsWith(match.ends_with.toLowerCase());
  if ('contains' in match) return modelId.includes(match.contains.toLowerCase());
  if ('regex' in match) return regex(match.regex)?.test(modelId) ?? false;
  return false;
}
