import { AppError, notFound, unprocessable } from '../errors.js';
import { repeatEvery } from '../repeat-every.js';
import type { SurfaceCatalog } from '../surfaces/surface-catalog.js';
import { armIssues } from './campaign-issues.js';
import { applyOverride, type ArmConfig, type ArmOverride, type CampaignArm } from './campaign-arm.js';
import type { CampaignArmStore, StoredCampaignArm } from './campaign-arm-store.js';

/** A served arm with the config its file (or the API) declared, before any override. */
export interface ServedArm extends CampaignArm {
  readonly declared: ArmConfig;
}

/**
 * The arms each surface serves now: the surface file's, plus the arms added through the admin API, with
 * the admin overrides applied. The overrides live in Postgres; every replica re-reads them every
 * `refresh` (started by `start`), and the replica that takes an admin call applies it at once, so the
 * others follow within one interval.
 */
export class CampaignCatalog {
  private bySurface = new Map<string, ServedArm[]>();
  private stored: readonly StoredCampaignArm[] = [];
  private stopRefreshing: (() => void) | undefined;

  constructor(
    private readonly surfaces: SurfaceCatalog,
    private readonly store: CampaignArmStore,
    private readonly now: () => Date,
  ) {
    this.apply([]);
  }

  /** The surface's arms in file order, then the added ones in id order; empty for an unknown surface. */
  arms(surfaceId: string): readonly ServedArm[] {
    return this.bySurface.get(surfaceId) ?? [];
  }

  async refresh(): Promise<void> {
    this.apply(await this.store.list());
  }

  /**
   * Derives the served arms again from the surfaces as they are now and the overrides last read, with no
   * round trip: called in the same step as a reload swaps the surfaces, so no request sees the new
   * surfaces with the old arms.
   */
  surfacesReloaded(): void {
    this.apply(this.stored);
  }

  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.stopRefreshing = repeatEvery(intervalMs, () => this.refresh(), onError);
  }

  stop(): void {
    this.stopRefreshing?.();
  }

  /** @throws AppError 404 for an unknown surface, 409 for an arm id in use, 422 for a config that breaks a rule. */
  async add(surfaceId: string, config: ArmConfig): Promise<ServedArm> {
    const surface = this.surfaces.get(surfaceId);
    if (!surface) throw notFound('unknown_surface', `surface "${surfaceId}" does not exist`);
    const issues = armIssues(config, '', surface.config.features);
    if (issues.length > 0) throw unprocessable('invalid_arm', 'the arm breaks a rule of surface files', issues);
    if (this.arms(surfaceId).some((arm) => arm.config.id === config.id) || !(await this.store.add(surfaceId, config, this.now()))) {
      throw new AppError(409, 'arm_exists', `surface "${surfaceId}" already has an arm "${config.id}"`);
    }
    await this.refresh();
    return this.find(surfaceId, config.id)!;
  }

  /** @throws AppError 404 for an unknown surface or arm, 422 when the result breaks a rule. */
  async update(surfaceId: string, armId: string, override: ArmOverride): Promise<ServedArm> {
    const surface = this.surfaces.get(surfaceId);
    if (!surface) throw notFound('unknown_surface', `surface "${surfaceId}" does not exist`);
    const arm = this.find(surfaceId, armId);
    if (!arm) throw notFound('unknown_arm', `surface "${surfaceId}" has no arm "${armId}"`);
    const issues = armIssues(applyOverride(arm.config, override), '', surface.config.features);
    if (issues.length > 0) throw unprocessable('invalid_arm', 'the change breaks a rule of surface files', issues);
    await this.store.update(surfaceId, armId, override, this.now());
    await this.refresh();
    return this.find(surfaceId, armId)!;
  }

  private find(surfaceId: string, armId: string): ServedArm | undefined {
    return this.arms(surfaceId).find((arm) => arm.config.id === armId);
  }

  private apply(stored: readonly StoredCampaignArm[]): void {
    const rows = new Map(stored.map((row) => [JSON.stringify([row.surface, row.arm]), row]));
    const next = new Map<string, ServedArm[]>();
    for (const { config } of this.surfaces.list()) {
      const serve = (declared: ArmConfig, source: 'file' | 'api'): ServedArm => {
        const row = rows.get(JSON.stringify([config.id, declared.id]));
        return { declared, source, config: applyOverride(declared, row?.override), paused: row?.override.paused ?? false };
      };
      const fileIds = new Set(config.arms.map((arm) => arm.id));
      const added = stored.filter((row) => row.surface === config.id && row.added !== null && !fileIds.has(row.arm));
      next.set(config.id, [...config.arms.map((arm) => serve(arm, 'file')), ...added.map((row) => serve(row.added!, 'api'))]);
    }
    this.bySurface = next;
    this.stored = stored;
  }
}
