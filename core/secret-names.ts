// The last word of a name, after camelCase, `-`, `_` and `.` are split: `Ocp-Apim-Subscription-Key`,
// `x-goog-api-key`, `apiKey`, `private_key`, `sessionToken`, `client-secret`. Not `maxTokens`.
const SECRET_LAST_WORD = /(?:^|[-_.\s])(?:key|apikey|token|secret|password|passwd|pwd|passphrase|credentials?|signature|sig|cookie|authorization|auth)$/;

/**
 * Whether a header, query parameter or option name says its value is a credential. Used where a
 * value must be hidden without having been registered: a query string in a message, a log field.
 */
export function isSecretName(name: string): boolean {
  return SECRET_LAST_WORD.test(name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase());
}
