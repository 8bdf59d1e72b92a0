import type { ModelSnapshot, ModelStateStore } from './model-state-store.js';

/** The embedded default: model state in this process, for a single replica without Redis. */
export class InMemoryModelStateStore implements ModelStateStore {
  private readonly models = new Map<string, { version: number; arms: Map<string, Float64Array> }>();
  private readonly learned = new Set<string>();

  async applyIncrement(modelKey: string, decisionId: string, arm: string, increment: Float64Array): Promise<boolean> {
    const marker = `${modelKey}\u0000${decisionId}`;
    if (this.learned.has(marker)) return false;
    this.learned.add(marker);
    const model = this.model(modelKey);
    const current = model.arms.get(arm) ?? new Float64Array(increment.length);
    model.arms.set(arm, current.map((value, i) => value + increment[i]!));
    model.version += 1;
    return true;
  }

  async version(modelKey: string): Promise<number> {
    return this.model(modelKey).version;
  }

  async read(modelKey: string, length: number): Promise<ModelSnapshot> {
    const model = this.model(modelKey);
    const arms = new Map<string, Float64Array>();
    for (const [arm, vector] of model.arms) {
      if (vector.length === length) arms.set(arm, Float64Array.from(vector));
    }
    return { version: model.version, arms };
  }

  async replace(modelKey: string, arms: ReadonlyMap<string, Float64Array>, version: number): Promise<void> {
    const model = this.model(modelKey);
    model.arms = new Map([...arms].map(([arm, vector]) => [arm, Float64Array.from(vector)]));
    model.version = version;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}

  private model(modelKey: string) {
    let model = this.models.get(modelKey);
    if (!model) {
      model = { version: 0, arms: new Map() };
      this.models.set(modelKey, model);
    }
    return model;
  }
}
