/** The resource endpoint, whatever form `baseURL` was given in (`…/openai/v1`, `…/openai`, or bare). */
export function azureEndpoint(baseURL: string): string {
  return baseURL.replace(/\/+$/, '').replace(/\/openai(\/v1)?$/, '');
}

/** The v1 API's base: `{endpoint}/openai/v1`, unless `baseURL` already names a path of its own (Foundry's `/models`). */
export function azureV1Base(baseURL: string): string {
  const trimmed = baseURL.replace(/\/+$/, '');
  return new URL(trimmed).pathname === '/' || /\/openai$/.test(trimmed) ? `${azureEndpoint(trimmed)}/openai/v1` : trimmed;
}

/** The classic per-deployment URL: `{endpoint}/openai/deployments/{deployment}/{path}?api-version=…`. */
export function azureDeploymentURL(baseURL: string, deployment: string, path: 'chat/completions' | 'embeddings', apiVersion: string): string {
  return `${azureEndpoint(baseURL)}/openai/deployments/${encodeURIComponent(deployment)}/${path}?api-version=${encodeURIComponent(apiVersion)}`;
}

/** The classic Responses URL (the deployment goes in the body's `model`). */
export function azureResponsesURL(baseURL: string, apiVersion: string): string {
  return `${azureEndpoint(baseURL)}/openai/responses?api-version=${encodeURIComponent(apiVersion)}`;
}
