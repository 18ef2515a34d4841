import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchBrowser, login, openPage, screenshot } from './support/browser.js';
import { startWebServer, type WebTestServer } from './support/web-server.js';

const STORE = 'store-paris-rivoli';
const ASSOCIATE = 'camille.rivoli@ordo.test';
const PASSWORD = 'counter-test-2026';
const CUSTOMER = { name: 'Léa Fontaine', email: 'lea.fontaine@example.fr', phone: '+33 6 11 22 33 44' };

interface Position {
  sku: string;
  locationId: string;
  onHand: number;
  atp: number;
}

describe('the store counter on a phone: stock lookup, order in store, return at the counter', () => {
  let server: WebTestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sku: string;
  let nearest: { locationId: string; name: string; atp: number };

  const positionAt = async (s: string, locationId: string): Promise<Position | undefined> => {
    const res = await server.adminFetch('GET', `/v1/inventory/${encodeURIComponent(s)}`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return (res.json.positions as Position[]).find((p) => p.locationId === locationId);
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await createUser(server, { email: ASSOCIATE, password: PASSWORD, role: 'store', name: 'Camille', locationIds: [STORE], locale: 'en' });
    // A SKU the Rivoli shelves hold several of, that other stores nearby hold too.
    const store = (await server.adminFetch('GET', `/v1/locations/${STORE}`)).json as { latitude: number; longitude: number };
    const shelf = (await server.adminFetch('GET', `/v1/inventory/locations/${STORE}?limit=500`)).json.items as Position[];
    for (const p of shelf.filter((x) => x.atp >= 4)) {
      const res = await server.adminFetch('GET', `/v1/availability?skus=${p.sku}&lat=${store.latitude}&lon=${store.longitude}&limit=50`);
      const stores = (res.json.items[0].locations as Array<{ locationId: string; name: string; type: string; atp: number }>).filter((l) => l.type === 'store' && l.locationId !== STORE);
      if (stores.length >= 2) {
        sku = p.sku;
        nearest = stores[0]!;
        break;
      }
    }
    expect(sku).toBeDefined();
    ({ context, page } = await openPage(browser, server, { phone: true }));
    await login(page, ASSOCIATE, PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('looks a SKU up here and in the nearest stores, then orders it for the customer', async () => {
    const here = await positionAt(sku, STORE);
    await page.goto('/app/store/stock');
    await page.getByLabel('SKU or product name').fill(sku);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect.poll(() => page.getByTestId('atp-here').textContent()).toBe(String(here!.atp));
    const nearby = page.getByRole('list', { name: 'Nearby stores' });
    await nearby.waitFor();
    // Nearest first: the first store listed is the nearest other store holding it, with its units.
    const first = nearby.getByRole('listitem').first();
    await expect.poll(() => first.getByRole('heading').textContent()).toBe(nearest.name);
    expect(await first.textContent()).toContain(`${nearest.atp} unit`);
    expect(await first.textContent()).toMatch(/\d+(\.\d)? km away/);
    expect(Number(await page.getByTestId('atp-network').textContent())).toBeGreaterThan(here!.atp);
    await screenshot(page, 'store-stock-phone');

    await page.getByRole('link', { name: 'Order it for the customer' }).click();
    await page.waitForURL(/\/app\/store\/new-order/);
    await expect.poll(() => page.getByRole('list', { name: 'Products' }).textContent()).toContain(sku);
  });

  it('takes an order in store delivered to the customer’s home, on the POS channel with this store and associate', async () => {
    await page.getByLabel('Name', { exact: true }).fill(CUSTOMER.name);
    await page.getByLabel('E-mail', { exact: true }).fill(CUSTOMER.email);
    await page.getByLabel('Phone', { exact: true }).fill(CUSTOMER.phone);
    await page.getByLabel('Street and number').fill('10 rue Oberkampf');
    await page.getByLabel('Postal code', { exact: true }).fill('75011');
    await page.getByLabel('City', { exact: true }).fill('Paris');
    const standard = page.getByRole('radio', { name: /Standard/ });
    await standard.waitFor();
    expect(await standard.textContent()).toMatch(/Delivered (on|between)/);
    await standard.click();
    await screenshot(page, 'store-new-order-phone');
    await page.getByRole('button', { name: /Create the order/ }).click();

    const number = (await page.getByTestId('order-number').textContent())!;
    expect(number).toMatch(/^ORD-\d{4}-\d{6}$/);
    expect(await page.getByTestId('promised-dates').textContent()).toMatch(/Delivered (on|between)/);
    await page.getByText(`The digital receipt is sent by e-mail to ${CUSTOMER.email}.`).waitFor();

    const order = (await server.adminFetch('GET', `/v1/orders/${number}`)).json;
    expect(order).toMatchObject({
      channel: 'pos',
      channelType: 'pos',
      origin: { storeId: STORE, associate: ASSOCIATE },
      delivery: { method: 'ship', service: 'standard', address: { postalCode: '75011', city: 'Paris', country: 'FR' } },
      customer: { email: CUSTOMER.email, name: CUSTOMER.name, locale: 'en-GB' },
    });
    expect(order.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual([[sku, 1]]);
    expect(order.payments.map((p: { provider: string; authorisedMinor: number }) => [p.provider, p.authorisedMinor])).toEqual([['manual', order.totals.totalMinor]]);
    expect(order.promise.optionId).toBe('ship:standard');
  });

  it('takes an order for pickup in another store, with the ready time the promise gives', async () => {
    await page.getByRole('button', { name: 'New order' }).click();
    await page.getByLabel('SKU or product name').fill(sku);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Pickup in a store', { exact: true }).click();
    await page.getByLabel('Phone', { exact: true }).fill(CUSTOMER.phone);
    // Stores near this one by default, nearest first; this store is one of them.
    const stores = page.getByRole('radiogroup', { name: 'Pickup store' }).getByRole('radio');
    await stores.first().waitFor();
    expect(await stores.first().textContent()).toContain('this store');
    const other = stores.nth(1);
    const name = (await other.locator('p').first().textContent())!;
    expect(await other.textContent()).toContain('Ready from');
    await other.click();
    await page.getByRole('button', { name: /Create the order/ }).click();
    const number = (await page.getByTestId('order-number').textContent())!;
    expect(await page.getByTestId('promised-dates').textContent()).toMatch(/^Ready from /);
    await page.getByText('No e-mail given: no digital receipt is sent.').waitFor();

    const order = (await server.adminFetch('GET', `/v1/orders/${number}`)).json;
    expect(order).toMatchObject({ channel: 'pos', origin: { storeId: STORE }, delivery: { method: 'pickup' }, customer: { phone: CUSTOMER.phone } });
    const store = (await server.adminFetch('GET', `/v1/locations/${order.delivery.pickupLocationId}`)).json;
    expect([store.name, store.id === STORE]).toEqual([name, false]);
  });

  it('sells at the counter (carry out): the stock of this store drops at once and the order is completed', async () => {
    const before = await positionAt(sku, STORE);
    await page.getByRole('button', { name: 'New order' }).click();
    await page.getByLabel('SKU or product name').fill(sku);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Products' }).textContent()).toContain(sku);
    await page.getByLabel(`Quantity of ${sku}`).fill('2');
    await page.getByText('Carry out', { exact: true }).click();
    await page.getByLabel('E-mail', { exact: true }).fill('walk.in@example.fr');
    // The first answer is lost on the way back (the order is taken, the phone never hears it): the retry
    // sends the same Idempotency-Key, so Ordo answers that order instead of selling the units twice.
    let lost = false;
    await page.route('**/v1/orders', async (route) => {
      if (lost || route.request().method() !== 'POST') return route.continue();
      lost = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByRole('button', { name: /Create the order/ }).click();
    await page.getByText('Ordo cannot be reached', { exact: false }).waitFor();
    await page.getByRole('button', { name: /Create the order/ }).click();
    const number = (await page.getByTestId('order-number').textContent())!;
    await page.unroute('**/v1/orders');
    expect(lost).toBe(true);
    expect(await page.getByTestId('promised-dates').textContent()).toBe('Taken away now');
    const taken = (await server.adminFetch('GET', '/v1/orders?customerEmail=walk.in@example.fr')).json.items as Array<{ number: string }>;
    expect(taken.map((o) => o.number)).toEqual([number]);

    const order = (await server.adminFetch('GET', `/v1/orders/${number}`)).json;
    expect(order).toMatchObject({ channel: 'pos', status: 'completed', origin: { storeId: STORE, associate: ASSOCIATE }, delivery: { method: 'carry_out' } });
    expect(order.payments[0].capturedMinor).toBe(order.totals.totalMinor);
    expect((await positionAt(sku, STORE))!.onHand).toBe(before!.onHand - 2);
  });

  it('takes back a delivered web order at the counter: the unit is on the shelf here and refunded', async () => {
    // A web order shipped to Lyon, driven to delivered through the store steps, by the API.
    const placed = await server.adminFetch(
      'POST',
      '/v1/orders',
      {
        channel: 'web',
        currency: 'EUR',
        customer: { ...CUSTOMER, locale: 'fr-FR' },
        lines: [{ sku, quantity: 2 }],
        delivery: { method: 'ship', service: 'standard', address: { name: CUSTOMER.name, line1: '45 rue de la République', postalCode: '69002', city: 'Lyon', country: 'FR' } },
        payment: { provider: 'manual' },
      },
      { 'idempotency-key': `counter-return-${process.pid}` },
    );
    expect(placed.status, JSON.stringify(placed.json)).toBe(201);
    const web = placed.json as { number: string; totals: { totalMinor: number } };
    const fulfillments = (await server.adminFetch('GET', `/v1/fulfillments?orderId=${web.number}`)).json.items as Array<{ id: string; lines: Array<{ sku: string; quantity: number }> }>;
    expect(fulfillments.length).toBeGreaterThan(0);
    for (const f of fulfillments) {
      for (const [step, body] of [
        ['accept', {}],
        ['pick', { lines: f.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) }],
        ['pack', { parcels: [{ weightGrams: 600 }] }],
        ['ship', {}],
        ['deliver', {}],
      ] as const) {
        const res = await server.adminFetch('POST', `/v1/fulfillments/${f.id}/${step}`, body);
        expect(res.status, `${step}: ${JSON.stringify(res.json)}`).toBe(200);
      }
    }
    await server.ctx.availability.refresh();
    const before = await positionAt(sku, STORE);

    await page.getByRole('link', { name: 'Return', exact: true }).click();
    await page.getByLabel('Order number').fill(web.number);
    await page.getByLabel('Customer e-mail').fill('wrong@example.fr');
    await page.getByRole('button', { name: 'Find the order' }).click();
    await page.getByText('No order with this number and e-mail.', { exact: false }).waitFor();
    await page.getByLabel('Customer e-mail').fill(CUSTOMER.email);
    await page.getByRole('button', { name: 'Find the order' }).click();

    await page.getByLabel(`Units returned of ${sku} (up to 2)`).fill('1');
    await page.getByLabel(`Reason for ${sku}`).click();
    await page.getByRole('option', { name: 'Wrong size' }).click();
    await expect.poll(() => page.getByTestId('return-value').textContent()).toMatch(/€/);
    await screenshot(page, 'store-return-phone');
    await page.getByRole('button', { name: 'Take the return and refund' }).click();

    const retNumber = (await page.getByTestId('return-number').textContent())!;
    expect(retNumber).toMatch(/^RET-\d{4}-\d{6}$/);
    const unitPrice = web.totals.totalMinor / 2;
    expect(await page.getByTestId('refunded').textContent()).toBe(new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(unitPrice / 100));
    expect(await page.getByTestId('return-stock').textContent()).toBe('1 back on the shelf here, 0 set aside as damaged.');

    const ret = (await server.adminFetch('GET', `/v1/returns/${retNumber}`)).json;
    expect(ret).toMatchObject({ orderNumber: web.number, status: 'refunded', resolution: 'refund', destination: { kind: 'store', locationId: STORE }, amounts: { refundMinor: unitPrice } });
    expect(ret.lines.map((l: { sku: string; resellable: number; damaged: number; reason: string }) => [l.sku, l.resellable, l.damaged, l.reason])).toEqual([[sku, 1, 0, 'wrong_size']]);
    expect((await positionAt(sku, STORE))!.onHand).toBe(before!.onHand + 1);
    const order = (await server.adminFetch('GET', `/v1/orders/${web.number}`)).json;
    expect(order.payments.reduce((s: number, p: { refundedMinor: number }) => s + p.refundedMinor, 0)).toBe(unitPrice);

    // The same unit cannot come back twice: the counter says so in plain words.
    await page.getByRole('button', { name: 'New return' }).click();
    await page.getByLabel('Order number').fill(web.number);
    await page.getByLabel('Customer e-mail').fill(CUSTOMER.email);
    await page.getByRole('button', { name: 'Find the order' }).click();
    await page.getByLabel(`Units returned of ${sku} (up to 1)`).waitFor();
  });
});
