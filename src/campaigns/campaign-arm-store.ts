import type { Database } from '../db/database.js';
import type { ArmConfig, ArmOverride, CampaignBudget } from './campaign-arm.js';

/** One row of `campaign_arms`: an arm added through the API, and/or overrides of an arm. */
export interface StoredCampaignArm {
  surface: string;
  arm: string;
  /** The whole config of an arm the API added; null for an arm of the surface file. */
  added: ArmConfig | null;
  override: ArmOverride;
}

/** Arms added, paused, ended or re-budgeted through the admin API (Postgres: shared by every replica). */
export interface CampaignArmStore {
  list(): Promise<StoredCampaignArm[]>;
  /** Stores an added arm; false when the surface already has a row for that arm id. */
  add(surface: string, config: ArmConfig, now: Date): Promise<boolean>;
  /** Merges `override` into the arm's overrides (a field not given keeps its stored value). */
  update(surface: string, arm: string, override: ArmOverride, now: Date): Promise<void>;
}

interface Row {
  surface: string;
  arm: string;
  added: ArmConfig | null;
  paused: boolean | null;
  end_at: Date | null;
  budget: CampaignBudget | null;
}

export class PostgresCampaignArmStore implements CampaignArmStore {
  constructor(private readonly db: Database) {}

  async list(): Promise<StoredCampaignArm[]> {
    const { rows } = await this.db.query<Row>('SELECT surface, arm, added, paused, end_at, budget FROM campaign_arms ORDER BY surface, arm');
    return rows.map((row) => ({
      surface: row.surface,
      arm: row.arm,
      added: row.added,
      override: {
        ...(row.paused === null ? {} : { paused: row.paused }),
        ...(row.end_at === null ? {} : { end: new Date(row.end_at).toISOString() }),
        ...(row.budget === null ? {} : { budget: row.budget }),
      },
    }));
  }

  async add(surface: string, config: ArmConfig, now: Date): Promise<boolean> {
    const { rows } = await this.db.query<{ arm: string }>(
      `INSERT INTO campaign_arms (surface, arm, added, updated_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (surface, arm) DO NOTHING RETURNING arm`,
      [surface, config.id, JSON.stringify(config), now],
    );
    return rows.length > 0;
  }

  async update(surface: string, arm: string, override: ArmOverride, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO campaign_arms (surface, arm, paused, end_at, budget, updated_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (surface, arm) DO UPDATE SET
         paused = coalesce(EXCLUDED.paused, campaign_arms.paused),
         end_at = coalesce(EXCLUDED.end_at, campaign_arms.end_at),
         budget = coalesce(EXCLUDED.budget, campaign_arms.budget),
         updated_at = EXCLUDED.updated_at`,
      [surface, arm, override.paused ?? null, override.end ?? null, override.budget ? JSON.stringify(override.budget) : null, now],
    );
  }
}
