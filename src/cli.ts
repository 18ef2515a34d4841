#!/usr/bin/env node
// `ordo <command>`: operator commands. Each command opens the configured database (DATABASE_URL or
// the embedded one in ORDO_DATA_DIR), does its work and exits with a meaningful code.
import { loadConfig } from './config.js';
import { createContext, type OrdoContext } from './context.js';
import { openDatabase } from './db/open.js';
import { systemClock } from './domain/shared/clock.js';
import { runDemoLoadCommand } from './modules/demo/demo.command.js';
import { runInventoryCheckCommand } from './modules/inventory/inventory-check.command.js';

interface Command {
  summary: string;
  run(ctx: OrdoContext, args: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  migrate: {
    summary: 'apply pending database migrations (also done at every start)',
    run: async () => {
      console.log('migrations are up to date');
      return 0;
    },
  },
  'demo load': {
    summary: 'load the demo network (Maison Ordo) into an empty database and print its API keys',
    run: (ctx) => runDemoLoadCommand(ctx),
  },
  'inventory check': {
    summary: 'compare stock positions with their ledger and reservations [--fix]; exit 1 on drift',
    run: (ctx, args) => runInventoryCheckCommand(ctx.db, args),
  },
};

async function main(argv: string[]): Promise<number> {
  const name = [argv[0], argv[1]].filter(Boolean).join(' ');
  const command = commands[name] ?? commands[argv[0] ?? ''];
  if (!command) {
    console.log('usage: ordo <command>\n');
    for (const [n, c] of Object.entries(commands)) console.log(`  ${n.padEnd(22)} ${c.summary}`);
    return argv.length === 0 || argv[0] === 'help' ? 0 : 2;
  }
  const args = commands[name] ? argv.slice(2) : argv.slice(1);
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    return await command.run(createContext(config, database, systemClock), args);
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
