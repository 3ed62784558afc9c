import type { ModelInfo } from './types.js';

const MAX_MODELS = 64;

/**
 * A backend's `modelInfo(model)`, made once per model: the kernel and the plugins ask for it several
 * times per call (the default model, pricing, the rate limiter's and the budget's estimates), and a
 * catalog lookup that builds a new object each time is work on every call for an answer that never
 * changes. For providers whose catalog is fixed for the backend's lifetime; frozen, as it is shared.
 */
export class ModelInfoCache {
  private readonly infos = new Map<string, ModelInfo>();

  constructor(private readonly make: (model: string) => ModelInfo) {}

  get(model: string): ModelInfo {
    let info = this.infos.get(model);
    if (info === undefined) {
      info = this.make(model);
      Object.freeze(info.capabilities);
      Object.freeze(info);
      if (this.infos.size >= MAX_MODELS) this.infos.clear();
      this.infos.set(model, info);
    }
    return info;
  }
}
