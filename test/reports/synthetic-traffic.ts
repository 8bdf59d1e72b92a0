import type { ChooseResponse } from '../../src/api/api-types.js';
import { SyntheticListeners } from '../../src/simulation/synthetic-listeners.js';
import { seededRandom } from '../../src/stats/random.js';
import type { TestClock, TestService } from '../helpers/test-service.js';

export interface TrafficOptions {
  surface: string;
  days: number;
  decisionsPerDay: number;
  seed: string;
}

/**
 * Sends a seeded synthetic audience through `/choose` and `/reward` day by day, moving the clock through
 * each day and refreshing the models between days, so the learning policy arms pull away from the
 * uniform control as they would in production.
 */
export async function driveSyntheticTraffic(service: TestService, clock: TestClock, options: TrafficOptions): Promise<void> {
  const surface = service.models.all().find((model) => model.surface.config.id === options.surface)?.surface.config;
  if (!surface) throw new Error(`no surface ${options.surface}`);
  const listeners = new SyntheticListeners(surface, options.seed);
  const random = seededRandom(`${options.seed}:rewards`);
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { ...service.authHeaders, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  const step = 86_400_000 / options.decisionsPerDay;
  for (let day = 0; day < options.days; day++) {
    for (let i = 0; i < options.decisionsPerDay; i++) {
      const context = listeners.context();
      const unit = `listener-${day}-${i}`;
      const choice = (await post('/choose', { surface: options.surface, unit, context })) as ChooseResponse;
      const reward = random() < listeners.clickProbability(context, choice.arm) ? 1 : 0;
      await post('/reward', { decisionId: choice.decisionId, reward });
      clock.advance(step);
    }
    await service.models.refresh();
  }
}
