/**
 * Perplexity answers from a web search: the sources come beside the answer, as `citations` (URLs,
 * which `[1]`-style markers in the text point into) and `search_results` (`{ title, url, date }`).
 * Kept in `metadata.citations` / `metadata.searchResults`; a stream repeats them, the last wins.
 */
export function copyPerplexityMetadata(body: object, metadata: Record<string, unknown>): void {
  const { citations, search_results } = body as { citations?: unknown; search_results?: unknown };
  if (Array.isArray(citations)) metadata.citations = citations;
  if (Array.isArray(search_results)) metadata.searchResults = search_results;
}
