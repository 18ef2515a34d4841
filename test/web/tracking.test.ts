import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { startWebServer, WEB_TEST_NOW, type WebTestServer } from './support/web-server.js';

/**
 * The public tracking page, as a customer sees it on a desktop and on a phone: an order shipped through
 * the fulfillment API, looked up with its number and e-mail and opened from the signed link of its
 * e-mail; a click & collect order waiting at the store, with its pickup code.
 */
const RIVOLI = 'store-paris-rivoli';
const SHIPPED_SKU = 'MAR-ECR-M';
const PICKUP_SKU = 'POL-MAR-L';
const customer = { name: 'Léa Fontaine', email: 'lea.fontaine@example.fr', phone: '+33 6 45 67 89 01', locale: 'fr-FR' };

interface Fulfillment {
  id: string;
  status: string;
  lines: Array<{ sku: string; quantity: number }>;
  shipment: { trackingNumber: string; carrierName: string; trackingUrl?: string } | null;
}

describe('customer order tracking page', () => {
  let server: WebTestServer;
  let browser: Browser;
  let shipped: { id: string; number: string };
  let pickup: { id: string; number: string };
  let shipments: NonNullable<Fulfillment['shipment']>[] = [];
  let pickupCode: string;

  const api = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await server.adminFetch(method, url, body, headers);
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };
  const fulfillmentsOf = async (orderId: string) => ((await api('GET', `/v1/fulfillments?orderId=${orderId}`)) as { items: Fulfillment[] }).items;
  const place = (key: string, body: Record<string, unknown>) =>
    api('POST', '/v1/orders', { channel: 'web', currency: 'EUR', customer, payment: { provider: 'manual' }, ...body }, { 'idempotency-key': key }) as Promise<{ id: string; number: string }>;

  /** The signed tracking link of the order's e-mail of this template, once the notification consumer sent it. */
  async function linkOf(orderId: string, template: string): Promise<string> {
    const row = () =>
      server.ctx.db.selectFrom('notification').select('content').where('order_id', '=', orderId).where('template', '=', template).where('channel', '=', 'email').executeTakeFirst();
    await expect.poll(async () => (await row()) !== undefined, { timeout: 15_000 }).toBe(true);
    const text = ((await row())!.content as { text: string }).text;
    const path = /https?:\/\/[^/\s]+(\/app\/track\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(text)?.[1];
    expect(path, text).toBeDefined();
    return path!;
  }

  async function lookUp(page: Page, number: string, email: string, labels: { number: RegExp; email: RegExp; submit: RegExp }) {
    await page.getByLabel(labels.number).fill(number);
    await page.getByLabel(labels.email).fill(email);
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/v1/tracking/lookup')), page.getByRole('button', { name: labels.submit }).click()]);
  }
  const english = { number: /^Order number/, email: /^E-mail address/, submit: /^Track my order$/ };
  const french = { number: /^Numéro de commande/, email: /^Adresse e-mail/, submit: /^Suivre ma commande$/ };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    const asOf = new Date(Date.parse(WEB_TEST_NOW) + 1000).toISOString();
    await api('PUT', `/v1/inventory/${RIVOLI}/${PICKUP_SKU}`, { onHand: 4, asOf });
    await server.ctx.availability.refresh();

    // Home delivery, sourced by the network, then prepared and shipped through the fulfillment API.
    shipped = await place('tracking-ship', {
      lines: [{ sku: SHIPPED_SKU, quantity: 1 }],
      delivery: { method: 'ship', service: 'standard', address: { name: customer.name, line1: '10 rue Oberkampf', postalCode: '75011', city: 'Paris', country: 'FR' } },
    });
    for (const f of await fulfillmentsOf(shipped.id)) {
      await api('POST', `/v1/fulfillments/${f.id}/accept`, {});
      await api('POST', `/v1/fulfillments/${f.id}/pick`, { lines: f.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) });
      await api('POST', `/v1/fulfillments/${f.id}/pack`, { parcels: [{ weightGrams: 400 }] });
      const done = (await api('POST', `/v1/fulfillments/${f.id}/ship`, {})) as Fulfillment;
      shipments.push(done.shipment!);
    }
    expect(shipments.length).toBeGreaterThan(0);

    // Click & collect at Rivoli from its own shelf, made ready for pickup.
    pickup = await place('tracking-pickup', { lines: [{ sku: PICKUP_SKU, quantity: 1 }], delivery: { method: 'pickup', pickupLocationId: RIVOLI } });
    const [work] = await fulfillmentsOf(pickup.id);
    await api('POST', `/v1/fulfillments/${work!.id}/accept`, {});
    await api('POST', `/v1/fulfillments/${work!.id}/pick`, { lines: [{ sku: PICKUP_SKU, quantity: 1 }] });
    await api('POST', `/v1/fulfillments/${work!.id}/ready-for-pickup`, {});
    const row = await server.ctx.db.selectFrom('fulfillment_order').select('pickup_code').where('id', '=', work!.id).executeTakeFirstOrThrow();
    pickupCode = row.pickup_code!;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('on a desktop: a wrong e-mail is told plainly, the right one shows the order shipped with its tracking number', async () => {
    const { context, page } = await openPage(browser, server);
    await page.goto('/app/track');
    await expect.poll(() => page.getByRole('heading', { name: 'Track your order' }).isVisible()).toBe(true);
    // No back-office chrome: no navigation, no sign-in menu.
    expect(await page.getByRole('navigation').count()).toBe(0);

    await lookUp(page, shipped.number, 'someone@example.fr', english);
    await page.getByRole('alert').filter({ hasText: 'We found no order with this number and e-mail address' }).waitFor();

    await lookUp(page, shipped.number.toLowerCase(), customer.email.toUpperCase(), english);
    await page.getByRole('heading', { name: `Order ${shipped.number}` }).waitFor();
    expect(await page.getByTestId('tracking-status').textContent()).toBe('On its way');
    const first = shipments[0]!;
    await page.getByText(first.trackingNumber, { exact: true }).waitFor();
    const track = page.getByRole('link', { name: `Track with ${first.carrierName}` });
    if (first.trackingUrl) expect(await track.getAttribute('href')).toBe(first.trackingUrl);
    expect(await page.getByText('Fontaine').count()).toBe(0);
    expect(await page.getByText('Oberkampf').count()).toBe(0);
    await page.getByText('75011 Paris', { exact: true }).waitFor();
    await screenshot(page, 'tracking-desktop');
    await context.close();
  });

  it('on a phone, in French: the lookup and the signed link of the shipping e-mail show the same shipped order', async () => {
    const { context, page } = await openPage(browser, server, { phone: true, locale: 'fr' });
    await page.goto('/app/track');
    await lookUp(page, shipped.number, customer.email, french);
    await page.getByRole('heading', { name: `Commande ${shipped.number}` }).waitFor();
    expect(await page.getByTestId('tracking-status').textContent()).toBe('En route');
    await page.getByText(shipments[0]!.trackingNumber, { exact: true }).waitFor();

    const link = await linkOf(shipped.id, 'order_shipped');
    await page.goto(link);
    await page.getByRole('heading', { name: `Commande ${shipped.number}` }).waitFor();
    expect(await page.getByTestId('tracking-status').textContent()).toBe('En route');
    await page.getByText(shipments[0]!.trackingNumber, { exact: true }).waitFor();
    // The language switch works here too.
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: `Order ${shipped.number}` }).waitFor();

    // A link altered by one character opens nothing, and offers the form instead (the context starts each page in French).
    await page.goto(link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    await page.getByRole('alert').filter({ hasText: 'Ce lien de suivi n’est pas valide ou a expiré' }).waitFor();
    await page.getByLabel(french.number).waitFor();
    await context.close();
  });

  it('on a phone: a click & collect order ready for pickup shows its code and the store', async () => {
    const { context, page } = await openPage(browser, server, { phone: true });
    await page.goto(await linkOf(pickup.id, 'pickup_ready'));
    await page.getByRole('heading', { name: `Order ${pickup.number}` }).waitFor();
    expect(await page.getByTestId('tracking-status').textContent()).toBe('Ready for pickup');
    const code = page.getByTestId('pickup-code');
    await code.waitFor();
    expect(await code.textContent()).toContain(pickupCode);
    expect(await page.getByTestId('pickup-store').textContent()).toBe('Maison Ordo Paris Rivoli');
    await page.getByText('112 rue de Rivoli', { exact: true }).waitFor();
    // Big enough to show across a counter, and within the phone's width.
    const box = (await page.getByText(pickupCode, { exact: true }).boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(48);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'tracking-phone');
    await context.close();
  });

  it('says plainly when there were too many attempts', async () => {
    const { context, page } = await openPage(browser, server);
    await page.goto('/app/track');
    let limited = false;
    for (let i = 0; i < 10 && !limited; i++) {
      await lookUp(page, pickup.number, `guess${i}@example.fr`, english);
      limited = (await page.getByRole('alert').textContent())?.includes('Too many attempts in a short time. Please try again in 2 minutes.') ?? false;
    }
    expect(limited).toBe(true);
    await context.close();
  });
});
