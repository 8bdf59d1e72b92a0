/**
 * How the columns of a logged-feedback file map onto a `LoggedRound`. Two layouts are recognised from
 * the header alone (see `docs/evaluation.md`):
 *
 * - **default**: `action`, `reward`, `propensity` (required), `position`, `timestamp` (optional); when
 *   some column starts with `x_`, the context is exactly the `x_*` columns (prefix dropped) and any other
 *   column is ignored; otherwise every other column is a context feature. Columns without a name (an
 *   exported row index) are ignored.
 * - **obd** (Open Bandit Dataset, Saito et al. 2021), recognised by `item_id`, `click` and
 *   `propensity_score`: action = `item_id`, reward = `click`, propensity = `propensity_score`,
 *   position = `position`, timestamp = `timestamp`; the context is `user_feature_*` (categorical hashes,
 *   kept as strings), `user-item_affinity_*` and `position`, since Open Bandit Pipeline treats each row
 *   as a single-action round whose context includes the slot.
 */
export type FeedbackLayoutKind = 'default' | 'obd';

/** What one column is: a field of the round, a context feature (under `feature`), or nothing. */
export type ColumnRole =
  | { role: 'action' | 'reward' | 'propensity' | 'position' | 'timestamp' }
  | { role: 'context'; feature: string; categorical: boolean }
  | { role: 'ignored' };

export interface FeedbackLayout {
  kind: FeedbackLayoutKind;
  /** The source column of each required field, for error messages. */
  required: { action: string; reward: string; propensity: string };
  roles(column: string): ColumnRole[];
}

const OBD_MARKERS = ['item_id', 'click', 'propensity_score'];
const DEFAULT_FIELDS = new Set(['action', 'reward', 'propensity', 'position', 'timestamp']);

/**
 * The layout of a file with these column names (a CSV header, or the keys of the first JSON line).
 * @returns the layout, or the reason none fits (a required column missing).
 */
export function detectFeedbackLayout(columns: readonly string[]): FeedbackLayout | string {
  const present = new Set(columns);
  if (OBD_MARKERS.every((name) => present.has(name))) return OBD_LAYOUT;
  const missing = ['action', 'reward', 'propensity'].filter((name) => !present.has(name));
  if (missing.length > 0) {
    return `missing column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} (the default layout needs action, reward and propensity; see docs/evaluation.md)`;
  }
  return defaultLayout(columns.some((name) => name.startsWith('x_')));
}

const OBD_LAYOUT: FeedbackLayout = {
  kind: 'obd',
  required: { action: 'item_id', reward: 'click', propensity: 'propensity_score' },
  roles(column) {
    switch (column) {
      case 'item_id':
        return [{ role: 'action' }];
      case 'click':
        return [{ role: 'reward' }];
      case 'propensity_score':
        return [{ role: 'propensity' }];
      case 'timestamp':
        return [{ role: 'timestamp' }];
      case 'position':
        return [{ role: 'position' }, { role: 'context', feature: 'position', categorical: false }];
    }
    if (column.startsWith('user_feature_')) return [{ role: 'context', feature: column, categorical: true }];
    if (column.startsWith('user-item_affinity_')) return [{ role: 'context', feature: column, categorical: false }];
    return [{ role: 'ignored' }];
  },
};

function defaultLayout(prefixed: boolean): FeedbackLayout {
  return {
    kind: 'default',
    required: { action: 'action', reward: 'reward', propensity: 'propensity' },
    roles(column) {
      if (DEFAULT_FIELDS.has(column)) return [{ role: column as 'action' }];
      if (column === '') return [{ role: 'ignored' }];
      if (prefixed) {
        return column.startsWith('x_') && column.length > 2
          ? [{ role: 'context', feature: column.slice(2), categorical: false }]
          : [{ role: 'ignored' }];
      }
      return [{ role: 'context', feature: column, categorical: false }];
    },
  };
}
