import { registerSecret } from './redact.js';

/**
 * A backend's request headers, made once per API key rather than on every call: the key is looked
 * up per call (it may come from the environment), but the headers around it never change, and
 * building them (spreads of the configured headers and the optional ones) was work on every request.
 * Frozen, as the same object goes out with every request; `http.ts` copies it into its own.
 * Each key is registered as a secret as its headers are made: a token minted at run time is too.
 */
export class HeadersByKey {
  private last: { readonly apiKey: string; readonly headers: Readonly<Record<string, string>> } | undefined;

  constructor(private readonly make: (apiKey: string) => Record<string, string>) {}

  for(apiKey: string): Readonly<Record<string, string>> {
    if (this.last?.apiKey !== apiKey) {
      registerSecret(apiKey);
      this.last = { apiKey, headers: Object.freeze(this.make(apiKey)) };
    }
    return this.last.headers;
  }
}
