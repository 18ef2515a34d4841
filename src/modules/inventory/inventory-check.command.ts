import type { Db } from '../../db/database.js';
import { systemActor } from '../../domain/shared/actor.js';
import { checkInventory } from './check-inventory.js';

/**
 * `ordo inventory check [--fix]`: prints the report as JSON. Exit code 1 when drift was found and
 * left in place (so a cron job or CI alerts), 0 when there was none or it was fixed.
 */
export async function runInventoryCheckCommand(db: Db, args: readonly string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--fix');
  if (unknown.length > 0) {
    console.error(`unknown argument(s): ${unknown.join(' ')}\nusage: ordo inventory check [--fix]`);
    return 2;
  }
  const fix = args.includes('--fix');
  const report = await checkInventory(db, systemActor('cli'), { fix });
  console.log(JSON.stringify(report, null, 2));
  return report.driftCount > 0 && !fix ? 1 : 0;
}
