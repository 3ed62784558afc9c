/** The output item types the Responses decoders read; any other is dropped with a warning. */
const DECODED = new Set(['message', 'reasoning', 'function_call']);

/**
 * The warning for an output item we do not decode (`local_shell_call`, `shell_call`, `apply_patch_call`,
 * `custom_tool_call`, `mcp_approval_request`…): the model did something the caller cannot see, so
 * an answer made only of such items must not look like an empty `stop`.
 */
export function undecodedItemWarning(provider: string, type: string | undefined): string | undefined {
  if (type !== undefined && DECODED.has(type)) return undefined;
  return `${provider} returned a Responses output item of type ${JSON.stringify(type ?? null)}, which HyperAgent does not decode: it was dropped. Remove the tool that produces it, or handle the raw response yourself.`;
}
