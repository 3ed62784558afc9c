/**
 * The config schema links the built-in providers' and plugins' option schemas into it, for editors
 * (its `builtin-*` definitions, written by scripts/write-schemas.js). The runtime compiles it with
 * those definitions emptied: each provider's and plugin's options are checked by its own validator,
 * after `${VAR}` interpolation and with its name in the message, as for third-party ones, not a
 * second time here on the raw text.
 */
export function withoutBuiltinLinks<T extends object>(schema: T): T {
  const definitions = (schema as { definitions?: Record<string, unknown> }).definitions;
  if (!definitions) return schema;
  const kept = Object.fromEntries(Object.entries(definitions).map(([key, value]) => [key, key.startsWith('builtin-') ? {} : value]));
  return { ...schema, definitions: kept };
}
