import type { LoggedRound } from '../evaluation-types.js';

/**
 * A logged round as the evaluation pipeline sees it. The decision log also knows the candidate set and
 * the whole logged distribution π_b(· | xᵢ); a logged-feedback file does not.
 */
export interface SourceRound extends LoggedRound {
  candidates?: readonly string[];
  probabilities?: Readonly<Record<string, number>>;
}

/**
 * Opens the log from its start, each call a fresh stream in the same order. A source can be read more
 * than once, which is how the cross-fitted reward model fits on one pass and predicts on the next
 * without holding the log in memory. The readers here return a `RowStream`, which the pipeline reads a
 * batch at a time (`batchesOf`); any other async iterable works too, at one await per round.
 */
export type RoundSource = () => AsyncIterable<SourceRound>;
