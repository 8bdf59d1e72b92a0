/**
 * Runs `task` every `intervalMs` after the previous run settled (never two at once), until the returned
 * function is called. A failed run is reported to `onError` and the next one still comes: background
 * upkeep (model refresh, reward sweeps, partitions) must outlive a dependency's hiccup. The timers are
 * unref'd, so they never keep a process alive on their own.
 */
export function repeatEvery(intervalMs: number, task: () => Promise<unknown>, onError: (error: unknown) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(run, intervalMs);
    timer.unref();
  };
  const run = async () => {
    try {
      await task();
    } catch (error) {
      onError(error);
    }
    schedule();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
