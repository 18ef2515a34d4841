import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config.js';
import type { OrdoContext } from '../../src/context.js';
import { loadDemoOnStart, runDemoLoadCommand } from '../../src/modules/demo/demo.command.js';
import { isDatabaseEmpty } from '../../src/modules/demo/load-demo-network.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('demo on start and `ordo demo load`', () => {
  let t: TestApp;
  let dataDir: string;
  const output: string[] = [];
  const withConfig = (config: Partial<Config>): OrdoContext => ({ ...t.ctx, config: { ...t.ctx.config, dataDir, ...config } });

  beforeAll(async () => {
    t = await createTestApp();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordo-demo-'));
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void output.push(args.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void output.push(args.join(' ')));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await t?.close();
  });

  it('loads nothing when disabled, or by default on a PostgreSQL server', async () => {
    await loadDemoOnStart(withConfig({ demo: 'never', databaseUrl: undefined }));
    await loadDemoOnStart(withConfig({ demo: 'auto', databaseUrl: 'postgres://elsewhere/ordo' }));
    expect(await isDatabaseEmpty(t.ctx.db)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'demo-keys.json'))).toBe(false);
  });

  it('loads an empty embedded database by default, prints the keys and saves them owner-only', async () => {
    await loadDemoOnStart(withConfig({ demo: 'auto', databaseUrl: undefined }));
    expect(await isDatabaseEmpty(t.ctx.db)).toBe(false);
    const file = path.join(dataDir, 'demo-keys.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(saved)).toHaveLength(6);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    for (const secret of Object.values(saved)) expect(output.join('\n')).toContain(secret);
    const me = await t.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${saved.integration}` } });
    expect(me.json().role).toBe('integration');
  });

  it('leaves a non-empty database alone on start, and the command refuses with exit code 1', async () => {
    const before = await t.ctx.db.selectFrom('api_key').select('id').execute();
    await loadDemoOnStart(withConfig({ demo: 'always' }));
    expect(await runDemoLoadCommand(withConfig({}))).toBe(1);
    expect(output.join('\n')).toContain('refusing to load the demo network');
    expect(await t.ctx.db.selectFrom('api_key').select('id').execute()).toHaveLength(before.length);
  });
});
