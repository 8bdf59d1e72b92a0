import { markdownTable, resultsHeader, writeResults } from '../../bench/results-file.js';
import type { LoadClient } from './load-client.js';
import type { LedgerCheck } from './ledger-check.js';

export interface ScenarioFigures {
  scenario: string;
  requests: number;
  ledger: LedgerCheck;
  /** Largest relative difference between Redis and the fold over the log, over every model. */
  modelDifference: number;
  /** What else the scenario showed, one sentence each. */
  notes: string[];
}

export function figures(scenario: string, load: LoadClient, ledger: LedgerCheck, modelDifference: number, notes: string[]): ScenarioFigures {
  return { scenario, requests: load.requests, ledger, modelDifference, notes };
}

/** Writes `bench/results/faults.md`: one row per scenario, then its notes. */
export async function writeFaultFigures(all: readonly ScenarioFigures[]): Promise<void> {
  const table = markdownTable(
    ['scenario', 'requests', '/choose 200', 'found in Postgres', '/reward 200', 'recorded', 'lost', 'model vs log (max rel. diff.)'],
    [false, true, true, true, true, true, true, true],
    all.map(({ scenario, requests, ledger, modelDifference }) => [
      scenario,
      String(requests),
      String(ledger.acknowledgedDecisions),
      String(ledger.foundDecisions),
      String(ledger.acknowledgedRewards),
      String(ledger.recordedRewards),
      String(ledger.lost),
      modelDifference.toExponential(1),
    ]),
  );
  const notes = all.flatMap(({ scenario, notes: lines }) => [`### ${scenario}`, '', ...lines.map((line) => `- ${line}`), '']);
  await writeResults(
    'faults.md',
    [
      resultsHeader('Faults survived: nothing acknowledged is lost', 'npm run test:faults'),
      'Each scenario runs the service as child processes against a Postgres and a Redis of its own, under a',
      'bounded loopback load (a few concurrent loops of `/choose`, then `/reward` for 60 % of the decisions),',
      'and injects one fault. "Found" and "recorded" are looked up in Postgres afterwards: every `/choose` that',
      'was answered 200 must have its row, and every `/reward` answered 200 its value. Once the sweepers have',
      'learned every recorded reward, each model in Redis is compared with the fold over the log (`rebuildModel`).',
      '',
      table,
      '',
      ...notes,
    ].join('\n'),
  );
}
