import { afterAll, describe, expect, it } from 'vitest';
import { RedisCampaignCounters } from '../../src/campaigns/redis-campaign-counters.js';
import { sparePort } from '../../src/replicas/spare-port.js';

describe('RedisCampaignCounters without a connection', () => {
  let counters: RedisCampaignCounters | undefined;
  afterAll(() => counters?.close());

  it('fails a read and a reservation at once instead of queueing them until the command timeout', async () => {
    // Nothing listens on a spare port: the client keeps reconnecting, as while Redis is away.
    counters = new RedisCampaignCounters(`redis://127.0.0.1:${await sparePort()}`, 'disconnected');
    const query = { surface: 'home', arm: 'campaign:spring', day: '2030-01-10', unit: null };
    const started = performance.now();
    await expect(counters.read([query])).rejects.toThrow(/Redis is not connected/);
    await expect(counters.reserve({ ...query, totalBudget: 10 })).rejects.toThrow(/Redis is not connected/);
    // Queued, each would wait for a reconnection attempt to fail (100 ms here, up to 1 s as they back off).
    expect(performance.now() - started).toBeLessThan(100);
  });
});
