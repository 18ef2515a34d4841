import fs from 'node:fs';
import path from 'node:path';
import type { OrdoContext } from '../../context.js';
import { DEMO_PASSWORD, DEMO_USERS, isDatabaseEmpty, loadDemoNetwork } from './load-demo-network.js';

/** Shows the demo keys once, on stdout, and keeps a copy next to an embedded database (owner-only file). */
function reportKeys(ctx: OrdoContext, keys: Record<string, string>): void {
  const lines = Object.entries(keys).map(([name, secret]) => `  ${name.padEnd(34)} ${secret}`);
  const users = DEMO_USERS.map((u) => `  ${u.email.padEnd(34)} ${u.role}${u.locationIds ? ` (${u.locationIds.join(', ')})` : ''}`);
  console.log(
    [
      '',
      'Demo network loaded: Maison Ordo, a French apparel retailer (stores, warehouses, drop-ship suppliers, a marketplace seller).',
      `Web apps: ${ctx.config.notifications.publicUrl}/app — sign in as one of these users, password ${DEMO_PASSWORD}:`,
      ...users,
      'API keys (Authorization: Bearer <key>), shown once:',
      ...lines,
    ].join('\n'),
  );
  if (!ctx.config.databaseUrl) {
    const file = path.join(ctx.config.dataDir, 'demo-keys.json');
    fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    console.log(`  (also saved in ${file})`);
  }
  console.log('');
}

/**
 * On start: ORDO_DEMO=1 loads the demo into any empty database; by default (auto) only an empty embedded
 * database gets it, so `npm start` shows a living network while a production server never does.
 */
export async function loadDemoOnStart(ctx: OrdoContext): Promise<void> {
  const { demo, databaseUrl } = ctx.config;
  if (demo === 'never' || (demo === 'auto' && databaseUrl)) return;
  if (!(await isDatabaseEmpty(ctx.db))) {
    if (demo === 'always') console.log('Demo network not loaded: the database already holds locations.');
    return;
  }
  const { keys } = await loadDemoNetwork(ctx);
  reportKeys(ctx, keys);
}

/** `ordo demo load`: exit 1 (and nothing written) when the database is not empty. */
export async function runDemoLoadCommand(ctx: OrdoContext): Promise<number> {
  if (!(await isDatabaseEmpty(ctx.db))) {
    console.error('refusing to load the demo network: the database already holds locations (use an empty database)');
    return 1;
  }
  const { keys } = await loadDemoNetwork(ctx);
  reportKeys(ctx, keys);
  return 0;
}
