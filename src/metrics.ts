import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, in a registry of its own so several instances can share a process. */
export class Metrics {
  readonly registry = new Registry();
  readonly decisionSeconds = new Histogram({
    name: 'limelight_decision_duration_seconds',
    help: 'Time to answer /choose, the log commit included',
    labelNames: ['surface', 'policy'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'limelight_decisions_total',
    help: 'Decisions logged',
    labelNames: ['surface', 'policy'],
    registers: [this.registry],
  });
  /** Each group commit's INSERT round trip: the part of a decision's time spent waiting on Postgres. */
  readonly logBatchSeconds = new Histogram({
    name: 'limelight_decision_log_batch_seconds',
    help: 'Round trip of each group-commit INSERT of the decision log',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly logBatchRows = new Histogram({
    name: 'limelight_decision_log_batch_rows',
    help: 'Decisions per group-commit INSERT of the decision log',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 500],
    registers: [this.registry],
  });
  readonly rewards = new Counter({
    name: 'limelight_rewards_total',
    help: 'Rewards by outcome: recorded, duplicate, late, unknown, learned, defaulted',
    labelNames: ['surface', 'policy', 'outcome'],
    registers: [this.registry],
  });

  constructor(queueDepth: () => number) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'limelight_decision_log_queue_depth',
      help: 'Decisions waiting for their group commit',
      registers: [this.registry],
      collect() {
        this.set(queueDepth());
      },
    });
  }
}
