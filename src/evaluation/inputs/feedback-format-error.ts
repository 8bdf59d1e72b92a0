/**
 * A logged-feedback, target-probability or reward-model file that cannot be read, with the place of the
 * problem: `file:line: column "propensity": must be a number in (0, 1], got "0"`.
 */
export class FeedbackFormatError extends Error {
  override readonly name = 'FeedbackFormatError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | undefined,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${column === undefined ? '' : `column "${column}": `}${reason}`);
  }
}
