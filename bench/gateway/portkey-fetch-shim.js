// Preloaded into Portkey's gateway (node --import) by bench/gateway: Portkey 1.15.2 appends headers
// to the Response that fetch returned, whose headers are immutable on Node 20 ("TypeError: immutable"),
// so every stream fails with 500. The registry no longer has 1.14.1, the last version that streamed
// here. This hands Portkey the same response with headers it may change: the body stream is the
// same object, not copied, so what is measured is Portkey's own work plus one small object per request.
const originalFetch = globalThis.fetch;
globalThis.fetch = async function fetchWithMutableHeaders(input, init) {
  const response = await originalFetch(input, init);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
};
