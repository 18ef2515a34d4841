import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchBrowser, login, openPage, screenshot } from './support/browser.js';
import { watchOrders } from '../../src/modules/promise/sla-watch.job.js';
import { startWebServer, type WebTestServer } from './support/web-server.js';

/**
 * The back office dashboard and order list, as an ops user sees them: today's orders per channel, then
 * the list searched by e-mail, filtered by status (in the URL, so the link can be shared) and one order
 * opened. Orders are placed through the API on the demo network, yesterday and this morning (Tuesday 24
 * November 2026, Paris).
 */
const PASSWORD = 'correct-horse-battery-42';
const toParis = (name: string) => ({ method: 'ship', service: 'standard', address: { name, line1: '8 rue de la Roquette', postalCode: '75011', city: 'Paris', country: 'FR' } });
const CLAIRE = { name: 'Claire Dupont', email: 'claire.dupont@example.fr' };

interface Order {
  id: string;
  number: string;
  status: string;
}

describe('back office: dashboard and order list', () => {
  let server: WebTestServer;
  let browser: Browser;
  const orders: Record<string, Order> = {};
  const channelNames: Record<string, string> = {};

  const api = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await server.adminFetch(method, url, body, headers);
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };
  /** Places an order at a Paris wall time ('2026-11-24 09:05'). */
  const place = async (name: string, at: string, channel: string, customer: { name: string; email: string }, sku: string, quantity = 1) => {
    server.clock.set(`${at.replace(' ', 'T')}:00+01:00`);
    orders[name] = (await api(
      'POST',
      '/v1/orders',
      { channel, currency: 'EUR', payment: { provider: 'manual' }, customer, lines: [{ sku, quantity }], delivery: toParis(customer.name) },
      { 'idempotency-key': `backoffice-orders-${name}` },
    )) as Order;
  };
  /** The cells of the row of a table whose first cell is `first`. */
  const rowCells = async (page: Page, table: string, first: string) => {
    const row = page.getByRole('table', { name: table }).getByRole('row').filter({ has: page.getByRole('cell', { name: first, exact: true }) });
    await row.waitFor();
    return (await row.getByRole('cell').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim());
  };
  const listedNumbers = (page: Page) => page.getByRole('table', { name: 'Orders, newest first' }).locator('tbody tr td:first-child a').allInnerTexts();

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    // Yesterday's orders, never accepted, are what the late list shows; the acceptance time-out task would
    // re-route them (new fulfillments, new deadlines) whenever it happens to run after the clock moves.
    await server.ctx.tasks.find((task) => task.name === 'fulfillment-acceptance-timeout')!.stop();
    for (const c of (await api('GET', '/v1/channels?limit=500')).items as Array<{ id: string; name: string }>) channelNames[c.id] = c.name;
    // Yesterday: three orders no store has accepted yet.
    await place('mondayWeb', '2026-11-23 11:00', 'web', { name: 'Léa Morel', email: 'lea.morel@example.fr' }, 'BAS-NOI-40');
    await place('mondayApp', '2026-11-23 14:00', 'app', { name: 'Tom Girard', email: 'tom.girard@example.fr' }, 'BLZ-MAR-48');
    await place('mondayCall', '2026-11-23 16:30', 'callcenter', { name: 'Inès Roux', email: 'ines.roux@example.fr' }, 'BON-NOI-TU');
    // This morning.
    await place('claireWeb', '2026-11-24 08:10', 'web', CLAIRE, 'BAS-NOI-40');
    await place('marc', '2026-11-24 09:05', 'web', { name: 'Marc Leroy', email: 'marc.leroy@example.fr' }, 'BLZ-MAR-48');
    await place('nina', '2026-11-24 09:40', 'web', { name: 'Nina Petit', email: 'nina.petit@example.fr' }, 'BON-NOI-TU', 2);
    await place('claireApp', '2026-11-24 10:05', 'app', CLAIRE, 'ECH-GRI-TU');
    await place('hugo', '2026-11-24 10:25', 'callcenter', { name: 'Hugo Bernard', email: 'hugo.bernard@example.fr' }, 'CEI-NOI-90');
    server.clock.set('2026-11-24T10:35:00+01:00');
    // Claire changes her mind about the scarf ordered on the app.
    orders.claireApp = (await api('POST', `/v1/orders/${orders.claireApp!.id}/cancel`, { reason: 'customer_request' })) as Order;
    expect(orders.claireApp.status).toBe('cancelled');
    // The SLA watch (a background task every minute) assesses the open orders now.
    await watchOrders({ db: server.ctx.db, clock: server.clock, promiseData: server.ctx.promiseData, riskMarginMinutes: 60 });
    await createUser(server, { email: 'ops.tower@example.fr', password: PASSWORD, role: 'ops', name: 'Olivia Ops' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("the dashboard shows today's orders per channel", async () => {
    const { context, page } = await openPage(browser, server);
    await login(page, 'ops.tower@example.fr', PASSWORD);
    await page.goto('/app/bo');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await expect.poll(() => page.getByRole('group', { name: 'Orders' }).innerText()).toMatch(/^ORDERS\s+5\s+1 cancelled$/i);
    expect(await page.getByLabel('Day', { exact: true }).inputValue()).toBe('2026-11-24');
    // Channel, orders, cancelled, value, stockout rate, lines short of stock.
    expect((await rowCells(page, 'Channels', channelNames.web!)).slice(1, 3)).toEqual(['3', '0']);
    expect((await rowCells(page, 'Channels', channelNames.app!)).slice(1, 3)).toEqual(['1', '1']);
    expect((await rowCells(page, 'Channels', channelNames.callcenter!)).slice(1, 3)).toEqual(['1', '0']);
    // Yesterday's orders no store has accepted are late or at risk: the table lists what the API says, each
    // number a link to its order (the API's figures are checked exactly in test/reports/dashboard.test.ts).
    const { late } = (await api('GET', '/v1/reports/dashboard?timeZone=Europe/Paris')) as { late: { items: Array<{ orderId: string; number: string }> } };
    expect(late.items.length).toBeGreaterThan(0);
    const table = page.getByRole('table', { name: 'Late and at-risk orders' });
    await expect.poll(() => table.locator('tbody tr td:first-child a').allInnerTexts()).toEqual(late.items.map((o) => o.number));
    expect(await table.getByRole('link', { name: late.items[0]!.number }).getAttribute('href')).toBe(`/app/bo/orders/${late.items[0]!.orderId}`);
    await screenshot(page, 'backoffice-dashboard');

    // Narrowed to one channel, in the URL.
    await page.getByRole('combobox', { name: 'Channel' }).click();
    await page.getByRole('option', { name: channelNames.web! }).click();
    await page.waitForURL(/channel=web/);
    await expect.poll(() => page.getByRole('group', { name: 'Orders' }).innerText()).toMatch(/^ORDERS\s+3\s+0 cancelled$/i);

    // Another day: nothing yet.
    await page.getByLabel('Day', { exact: true }).fill('2026-11-20');
    await expect.poll(() => page.getByText('No order on this day.').isVisible()).toBe(true);
    await context.close();
  });

  it('the order list searches by e-mail, filters by status, keeps both in the URL and opens the order', async () => {
    const { context, page } = await openPage(browser, server);
    await login(page, 'ops.tower@example.fr', PASSWORD);
    await page.goto('/app/bo/orders');
    await expect.poll(() => listedNumbers(page)).toEqual(['hugo', 'claireApp', 'nina', 'marc', 'claireWeb', 'mondayCall', 'mondayApp', 'mondayWeb'].map((n) => orders[n]!.number));
    await screenshot(page, 'backoffice-orders');

    await page.getByRole('textbox', { name: 'Search', exact: true }).fill(CLAIRE.email);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/email=claire\.dupont%40example\.fr/);
    await expect.poll(() => listedNumbers(page)).toEqual([orders.claireApp!.number, orders.claireWeb!.number]);

    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Cancelled' }).click();
    await page.waitForURL(/status=cancelled/);
    await expect.poll(() => listedNumbers(page)).toEqual([orders.claireApp!.number]);
    const cells = await rowCells(page, 'Orders, newest first', orders.claireApp!.number);
    expect(cells.slice(2)).toEqual([`${CLAIRE.name} ${CLAIRE.email}`, channelNames.app, 'Home delivery', expect.stringMatching(/^cancelled$/i), expect.stringMatching(/€/)]);

    // The link is shareable: opened afresh, it shows the same list and the same search.
    const shared = page.url();
    const other = await openPage(browser, server);
    await login(other.page, 'ops.tower@example.fr', PASSWORD);
    await other.page.goto(shared);
    await expect.poll(() => listedNumbers(other.page)).toEqual([orders.claireApp!.number]);
    expect(await other.page.getByRole('textbox', { name: 'Search', exact: true }).inputValue()).toBe(CLAIRE.email);
    await other.context.close();

    // Nothing matches: said in plain words.
    await page.getByRole('textbox', { name: 'Search', exact: true }).fill('ORD-1999-000001');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByText('No result matches these filters.').isVisible()).toBe(true);
    await page.goBack();
    await page.getByRole('link', { name: orders.claireApp!.number }).click();
    await page.waitForURL(new RegExp(`/app/bo/orders/${orders.claireApp!.id}$`));
    await page.getByRole('heading', { name: new RegExp(orders.claireApp!.number) }).waitFor();
    await context.close();
  });
});
