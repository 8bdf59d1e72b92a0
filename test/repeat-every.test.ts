import { afterEach, describe, expect, it, vi } from 'vitest';
import { repeatEvery } from '../src/repeat-every.js';

describe('repeatEvery', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the task each interval, survives a failure, and stops when told', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let runs = 0;
    const stop = repeatEvery(
      100,
      async () => {
        runs += 1;
        if (runs === 2) throw new Error('redis hiccup');
      },
      (error) => errors.push(error),
    );
    await vi.advanceTimersByTimeAsync(350);
    expect(runs).toBe(3);
    expect(errors).toEqual([new Error('redis hiccup')]);
    stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(3);
  });

  it('never overlaps two runs of a slow task', async () => {
    vi.useFakeTimers();
    let running = 0;
    let overlapped = false;
    const stop = repeatEvery(
      10,
      async () => {
        running += 1;
        overlapped ||= running > 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
        running -= 1;
      },
      () => {},
    );
    await vi.advanceTimersByTimeAsync(500);
    stop();
    expect(overlapped).toBe(false);
  });
});
