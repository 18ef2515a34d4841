import type { Db, DbOrTx } from '../../db/database.js';
import type { Actor } from '../../domain/shared/actor.js';
import { ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { DEFAULT_FULFILLMENT_SETTINGS, type FulfillmentSettings, type FulfillmentSettingsPatch } from './fulfillment-settings.schemas.js';

export async function getFulfillmentSettings(db: DbOrTx): Promise<FulfillmentSettings> {
  const row = await db.selectFrom('fulfillment_settings').select('settings').executeTakeFirst();
  return fulfillmentSettingsFrom(row?.settings);
}

/** The settings in force: the stored ones (a row's `settings`, none when unset) over the defaults. */
export function fulfillmentSettingsFrom(stored: unknown): FulfillmentSettings {
  return { ...DEFAULT_FULFILLMENT_SETTINGS, ...(stored as Partial<FulfillmentSettings> | undefined) };
}

/** When new ship work created now leaves the release hold (createFulfillments' releaseAt); none when there is no hold. */
export function releaseHoldEnd(settings: FulfillmentSettings, now: Date): { releaseAt: Date } | Record<string, never> {
  return settings.releaseHoldMinutes > 0 ? { releaseAt: new Date(now.getTime() + settings.releaseHoldMinutes * 60_000) } : {};
}

/** PATCH /v1/fulfillment-settings: merged into the stored settings; audited. */
export async function updateFulfillmentSettings(db: Db, actor: Actor, patch: FulfillmentSettingsPatch, now: Date): Promise<Result<FulfillmentSettings>> {
  return db.transaction().execute(async (tx) => {
    const before = await getFulfillmentSettings(tx);
    const after: FulfillmentSettings = { ...before, ...patch };
    await tx
      .insertInto('fulfillment_settings')
      .values({ settings: JSON.stringify(after), updated_at: now, updated_by: actor.id })
      .onConflict((oc) => oc.column('id').doUpdateSet({ settings: JSON.stringify(after), updated_at: now, updated_by: actor.id }))
      .execute();
    await writeAudit(tx, actor, 'fulfillment_settings.updated', 'fulfillment_settings', 'default', before, after);
    return ok(after);
  });
}
