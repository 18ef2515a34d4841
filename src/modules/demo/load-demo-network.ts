import type { OrdoContext } from '../../context.js';
import type { Role } from '../../domain/shared/actor.js';
import { systemActor } from '../../domain/shared/actor.js';
import { createApiKey } from '../access/api-keys.js';
import { buildDemoNetwork } from './demo-network.js';
import { loadNetwork } from './load-network.js';
import { DEMO_CARRIERS } from './demo-carriers.js';
import { putCarrier } from '../promise/put-carrier.js';

export { isDatabaseEmpty } from './demo.repository.js';

/** Stores that get their own store-scoped key, so the store associate app can be tried at once. */
export const DEMO_KEY_STORES = ['store-paris-rivoli', 'store-lyon-part-dieu'] as const;

/**
 * Loads the demo network into an empty database and creates one API key per role (plus two store keys).
 * Returns the secrets by key name (`admin`, `integration`, `ops`, `service`, `store:<locationId>`):
 * they are shown once, only their hashes are stored.
 */
export async function loadDemoNetwork(ctx: OrdoContext): Promise<{ keys: Record<string, string> }> {
  const actor = systemActor('demo');
  await loadNetwork(ctx.db, actor, buildDemoNetwork(), 'demo');
  for (const [id, carrier] of Object.entries(DEMO_CARRIERS)) {
    const put = await putCarrier(ctx.db, actor, id, carrier);
    if (!put.ok) throw new Error(`demo carrier ${id}: ${put.message}`);
  }
  const wanted: { name: string; role: Role; locationIds?: string[] }[] = [
    { name: 'admin', role: 'admin' },
    { name: 'integration', role: 'integration' },
    { name: 'ops', role: 'ops' },
    { name: 'service', role: 'service' },
    ...DEMO_KEY_STORES.map((id) => ({ name: `store:${id}`, role: 'store' as const, locationIds: [id] })),
  ];
  const keys: Record<string, string> = {};
  for (const w of wanted) {
    const created = await createApiKey(ctx.db, actor, { name: `demo ${w.name}`, role: w.role, locationIds: w.locationIds });
    if (!created.ok) throw new Error(`demo key ${w.name}: ${created.message}`);
    keys[w.name] = created.value.secret;
  }
  return { keys };
}
