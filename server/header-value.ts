// Node throws on a header value outside tab, space, visible ASCII and Latin-1, and clients read
// Latin-1 bytes back as they please; a backend name may be any string (an emoji, a CJK name).

/** Every byte a header may carry as is in a backend name: visible ASCII, except `%` (the escape). */
const PLAIN = /^[\x21-\x24\x26-\x7e]*$/;
/** What Node and every client take in a header value without interpretation. */
const SAFE_VALUE = /^[\t\x20-\x7e]*$/;

function percentEncode(text: string, keep: RegExp): string {
  let out = '';
  for (const character of text) {
    if (keep.test(character)) {
      out += character;
      continue;
    }
    // A lone surrogate has no UTF-8 form: it is sent as U+FFFD, as TextEncoder would.
    for (const byte of Buffer.from(character, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const PLAIN_CHARACTER = /^[\x21-\x24\x26-\x7e]$/;
const SAFE_CHARACTER = /^[\t\x20-\x7e]$/;

/**
 * A backend name as a header value: unchanged when it is visible ASCII without `%`, otherwise
 * with every other byte of its UTF-8 form percent-encoded (`🦄` → `%F0%9F%A6%84`, a space → `%20`),
 * so `decodeURIComponent(value)` always gives the name back.
 */
export function encodeNameHeader(name: string): string {
  return PLAIN.test(name) ? name : percentEncode(name, PLAIN_CHARACTER);
}

/** Any other header value: unchanged when it is safe, otherwise its unsafe bytes percent-encoded. */
export function safeHeaderValue(value: string): string {
  return SAFE_VALUE.test(value) ? value : percentEncode(value, SAFE_CHARACTER);
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers that can be written whatever they hold: values made safe, names that are not tokens left out. */
export function safeHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (TOKEN.test(name) && typeof value === 'string') out[name] = safeHeaderValue(value);
  }
  return out;
}
