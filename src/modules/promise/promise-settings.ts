import type { Db } from '../../db/database.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { writeAudit } from '../audit/audit.repository.js';
import { readSettings, saveSettings } from './promise.repository.js';
import { DEFAULT_PROMISE_SETTINGS, type PromiseSettings, type PromiseSettingsPatch } from './promise-settings.schemas.js';

export async function getPromiseSettings(db: Db): Promise<PromiseSettings> {
  return { ...DEFAULT_PROMISE_SETTINGS, ...((await readSettings(db)) as Partial<PromiseSettings> | undefined) };
}

/** Merges a patch into the settings (a location type's defaults are replaced whole); audited. */
export async function updatePromiseSettings(db: Db, actor: Actor, patch: PromiseSettingsPatch): Promise<Result<PromiseSettings>> {
  return db.transaction().execute(async (tx) => {
    const before = { ...DEFAULT_PROMISE_SETTINGS, ...((await readSettings(tx)) as Partial<PromiseSettings> | undefined) };
    const after: PromiseSettings = { ...before, ...patch, locationTypes: { ...before.locationTypes, ...patch.locationTypes } };
    if (after.earliestQuantile >= after.confidenceTarget) return fail('validation_failed', 'earliestQuantile must be below confidenceTarget');
    await saveSettings(tx, after);
    await writeAudit(tx, actor, 'promise_settings.updated', 'promise_settings', 'default', before, after);
    return ok(after);
  });
}
