import type { OrdoContext } from '../../context.js';
import type { Role } from '../../domain/shared/actor.js';
import { systemActor } from '../../domain/shared/actor.js';
import { createApiKey } from '../access/api-keys.js';
import { buildDemoNetwork } from './demo-network.js';
import { loadNetwork } from './load-network.js';
import { DEMO_CARRIERS } from './demo-carriers.js';
import { putCarrier } from '../promise/put-carrier.js';
import { createUser } from '../users/manage-users.js';
import type { UserRole } from '../users/users.repository.js';

export { isDatabaseEmpty } from './demo.repository.js';

/** Stores that get their own store-scoped key, so the store associate app can be tried at once. */
export const DEMO_KEY_STORES = ['store-paris-rivoli', 'store-lyon-part-dieu'] as const;

/**
 * Loads the demo network into an empty database, creates the demo users (DEMO_USERS, password
 * DEMO_PASSWORD) and one API key per role (plus two store keys).
 * Returns the secrets by key name (`admin`, `integration`, `ops`, `service`, `store:<locationId>`):
 * they are shown once, only their hashes are stored.
 */
/** Password of every demo user (a demo database is not a place for secrets). */
export const DEMO_PASSWORD = 'ordo-demo-2026';

/** People who sign in to the web apps of the demo; no language, so each browser keeps its own. */
export const DEMO_USERS: { email: string; name: string; role: UserRole; locationIds?: string[] }[] = [
  { email: 'admin@ordo.demo', name: 'Claire Dubois', role: 'admin' },
  { email: 'ops@ordo.demo', name: 'Julien Martin', role: 'ops' },
  { email: 'service@ordo.demo', name: 'Sophie Bernard', role: 'service' },
  { email: 'rivoli@ordo.demo', name: 'Léa Petit', role: 'store', locationIds: ['store-paris-rivoli'] },
  { email: 'partdieu@ordo.demo', name: 'Hugo Laurent', role: 'store', locationIds: ['store-lyon-part-dieu'] },
];

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
  for (const user of DEMO_USERS) {
    const created = await createUser(ctx, actor, { ...user, password: DEMO_PASSWORD });
    if (!created.ok) throw new Error(`demo user ${user.email}: ${created.message}`);
  }
  return { keys };
}
