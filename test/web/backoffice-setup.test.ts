import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceKm } from '../../src/domain/geo/distance.js';
import { createUser, launchBrowser, login, openPage, screenshot } from './support/browser.js';
import { startWebServer, type WebTestServer } from './support/web-server.js';

interface Position {
  locationId: string;
  onHand: number;
  reserved: number;
  atp: number;
}
interface Location {
  id: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  active: boolean;
}

const SKU = 'CHI-SAB-W32';
const RIVOLI = 'store-paris-rivoli';
const EMAIL = 'setup.admin@example.test';
const PASSWORD = 'correct horse battery staple';

/** Scrolls a section to the top of the window, below the app's fixed header (for the screenshots). */
const showSection = (page: Page, heading: string) =>
  page.getByRole('heading', { name: heading, exact: true }).evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -90);
  });

/** The text of each row of the table with this accessible name. */
const rowsOf = (page: Page, table: string) => page.getByRole('table', { name: table }).locator('tbody tr').allInnerTexts();

describe('back office: inventory explorer, settings and imports (admin)', () => {
  let server: WebTestServer;
  let browser: Browser;
  let page: Page;
  const positions = async (sku: string) => ((await server.adminFetch('GET', `/v1/inventory/${sku}`)).json as { positions: Position[] }).positions;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await createUser(server, { email: EMAIL, password: PASSWORD, role: 'admin', name: 'Inès Admin' });
    ({ page } = await openPage(browser, server));
    await login(page, EMAIL, PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds a SKU, reads its stock at every location and the nearest locations to a postal code', async () => {
    const stock = await positions(SKU);
    const locations = ((await server.adminFetch('GET', '/v1/locations?limit=500')).json as { items: Location[] }).items;
    const name = new Map(locations.map((l) => [l.id, l.name]));

    await page.goto('/app/bo/inventory');
    await page.getByLabel('SKU or product name').fill('chi-sab');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: SKU }).click();
    await page.getByRole('heading', { name: new RegExp(`^${SKU} · Chino`) }).waitFor();

    // Every location holding the SKU, with its figures, best ATP first.
    const table = await rowsOf(page, 'Stock by location');
    const held = stock.filter((p) => p.onHand > 0 || p.reserved > 0).sort((a, b) => b.atp - a.atp || b.onHand - a.onHand || a.locationId.localeCompare(b.locationId));
    expect(table).toHaveLength(held.length);
    const cells = (row: string) => row.split('\t').map((c) => c.trim());
    expect(cells(table[0]!).slice(0, 5)).toEqual([expect.stringContaining(name.get(held[0]!.locationId)!), String(held[0]!.onHand), String(held[0]!.reserved), expect.any(String), String(held[0]!.atp)]);
    const rivoli = stock.find((p) => p.locationId === RIVOLI)!;
    const rivoliRow = table.find((r) => r.includes('Maison Ordo Paris Rivoli'))!;
    expect(cells(rivoliRow)[1]).toBe(String(rivoli.onHand));
    expect(await page.getByLabel('ATP (all locations)').innerText()).toBe(String(stock.reduce((n, p) => n + p.atp, 0)));

    // Distances from Lyon 2e, computed the way the browser does, nearest first among locations that can sell it.
    await page.getByLabel('Postal code (France)').fill('69002');
    await page.getByRole('button', { name: 'Measure' }).click();
    const origin = { latitude: 45.7493, longitude: 4.8262 };
    const expected = stock
      .filter((p) => p.atp > 0)
      .map((p) => ({ p, l: locations.find((l) => l.id === p.locationId)! }))
      .filter(({ l }) => l.latitude !== null && l.longitude !== null)
      .map(({ p, l }) => ({ id: p.locationId, km: distanceKm(origin, { latitude: l.latitude!, longitude: l.longitude! }) }))
      .sort((a, b) => a.km - b.km);
    await expect.poll(() => rowsOf(page, 'Nearest locations').then((r) => r.length)).toBeGreaterThan(2);
    const nearest = await rowsOf(page, 'Nearest locations');
    expect(nearest.slice(0, 3).map((r) => cells(r)[0]!.split('\n')[0])).toEqual(expected.slice(0, 3).map((e) => name.get(e.id)));
    expect(cells(nearest[0]!)[1]).toBe(`${expected[0]!.km < 10 ? expected[0]!.km.toFixed(1) : Math.round(expected[0]!.km)} km`);
    expect(await page.getByRole('img', { name: /Map of France with \d+ locations/ }).locator('circle').count()).toBeGreaterThan(30);
    await showSection(page, 'Map and distances');
    await screenshot(page, 'backoffice-inventory');
  });

  it('edits a location: a refused value is explained beside the form, a good one is saved whole', async () => {
    const before = (await server.adminFetch('GET', `/v1/locations/${RIVOLI}`)).json as Record<string, unknown>;
    await page.goto('/app/bo/settings/locations');
    await page.getByRole('link', { name: 'Maison Ordo Paris Rivoli' }).click();
    const form = page.getByRole('form', { name: 'Location Maison Ordo Paris Rivoli' });
    await form.waitFor();

    await form.getByLabel('Priority').fill('5000');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.getByRole('alert').innerText()).toContain('Priority: must be at most 1000');
    expect(((await server.adminFetch('GET', `/v1/locations/${RIVOLI}`)).json as { priority: number }).priority).toBe(before.priority);

    await form.getByLabel('Priority').fill(String(before.priority));
    await form.getByLabel('Daily pick capacity').fill('137');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').first().waitFor();
    const after = (await server.adminFetch('GET', `/v1/locations/${RIVOLI}`)).json as Record<string, unknown>;
    expect(after.dailyPickCapacity).toBe(137);
    // PUT replaces the whole location: everything the form did not touch is as it was.
    const { dailyPickCapacity: _a, updatedAt: _b, ...rest } = before;
    expect(after).toMatchObject(rest);
    await expect.poll(() => form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await showSection(page, 'Fulfillment');
    await screenshot(page, 'backoffice-settings');
  });

  it('imports a stock count of one location: a bad file is refused with its rows, a good one reports and sets on hand', async () => {
    await page.goto('/app/bo/imports');
    await page.getByText('Stock of one location', { exact: true }).click();
    await page.getByRole('combobox', { name: 'Location' }).click();
    await page.getByRole('option', { name: 'Maison Ordo Paris Rivoli' }).click();
    const file = page.locator('input[type=file]');
    const send = async (csv: string) => {
      await file.setInputFiles({ name: 'rivoli-count.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Import' }).click();
    };

    await send(`sku;qty\n${SKU};42\nTSB-BLA-M;lots\n`);
    await page.getByRole('alert').filter({ hasText: 'File refused: nothing was imported' }).waitFor();
    expect(await rowsOf(page, 'Rows refused')).toEqual([expect.stringMatching(/^3\t—\tonHand must be a non-negative whole number, got "lots"$/)]);
    expect((await positions(SKU)).find((p) => p.locationId === RIVOLI)!.onHand).not.toBe(42);

    // While Ordo works on the file (held here until seen) the page says so with a progress bar.
    await page.getByRole('button', { name: 'Import another file' }).click();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/v1/inventory/snapshots?*', async (route) => {
      await held;
      await route.continue();
    });
    await send(`sku;qty\n${SKU};42\nTSB-BLA-M;5\n`);
    await page.getByText(/^(Sending the file… \d+ %|Ordo is reading the file…)$/).waitFor();
    expect(await page.getByRole('progressbar', { name: /Upload progress|Ordo is reading the file/ }).count()).toBe(1);
    release();
    await page.getByText('All 2 rows accepted').waitFor();
    await page.unrouteAll();
    const [report] = await rowsOf(page, 'Import report');
    expect(report!.split('\t').slice(0, 2)).toEqual(['Maison Ordo Paris Rivoli', '2']);
    await screenshot(page, 'backoffice-imports');
    const now = await positions(SKU);
    expect(now.find((p) => p.locationId === RIVOLI)!.onHand).toBe(42);

    // The report leads to the location's stock; the SKU's page shows the count at Rivoli.
    await page.getByRole('link', { name: 'See its stock' }).click();
    await page.waitForURL(/\/app\/bo\/inventory\?location=store-paris-rivoli/);
    await page.getByRole('table', { name: 'Stock of the location' }).waitFor();
    await page.goto(`/app/bo/inventory/${SKU}`);
    await expect.poll(async () => (await rowsOf(page, 'Stock by location')).find((r) => r.startsWith('Maison Ordo Paris Rivoli'))?.split('\t')[1]?.trim()).toBe('42');
  });

  it('shows settings, stock and imports read-only to ops where the API would refuse their changes', async () => {
    await createUser(server, { email: 'setup.ops@example.test', password: PASSWORD, role: 'ops', name: 'Omar Ops' });
    const { context, page: ops } = await openPage(browser, server);
    await login(ops, 'setup.ops@example.test', PASSWORD);
    await ops.goto(`/app/bo/settings/locations/${RIVOLI}`);
    const form = ops.getByRole('form', { name: 'Location Maison Ordo Paris Rivoli' });
    await form.getByText('Read only: only an administrator may change these settings.').waitFor();
    expect(await form.getByLabel('Daily pick capacity').isDisabled()).toBe(true);
    expect(await form.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await ops.goto(`/app/bo/inventory/${SKU}`);
    await ops.getByRole('table', { name: 'Stock by location' }).waitFor();
    expect(await ops.getByRole('button', { name: /^Adjust/ }).count()).toBe(0);
    await ops.goto('/app/bo/imports');
    await ops.getByText('Only an administrator may import files.', { exact: false }).waitFor();
    expect(await ops.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
    await context.close();
  });
});
