import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchBrowser, login, openPage, screenshot } from './support/browser.js';
import { startWebServer, WEB_TEST_NOW, type WebTestServer } from './support/web-server.js';

/**
 * The store associate app on a phone: the queue, the work on one fulfillment (accept, scan, pack, ship,
 * print the label), the click & collect handover against the pickup code, and another store's
 * fulfillment staying out of reach.
 */
const RIVOLI = 'store-paris-rivoli';
const PASSWORD = 'correct-horse-battery-42';
const BEANIE = 'BON-NOI-TU';
const SCARF = 'ECH-GRI-TU';
const SCARF_EAN = '3601234567892';
const BELT = 'CEI-NOI-90';

interface Fulfillment {
  id: string;
  number: string;
  orderId: string;
  orderNumber: string;
  locationId: string;
  kind: string;
  status: string;
}

describe('store associate app: fulfillment screens on a phone', () => {
  let server: WebTestServer;
  let browser: Browser;
  let shipped: { order: { id: string; number: string }; fulfillment: Fulfillment };
  let pickup: { order: { id: string; number: string }; fulfillment: Fulfillment };
  let waiting: { order: { id: string; number: string }; fulfillment: Fulfillment };
  let short: { order: { id: string; number: string }; fulfillment: Fulfillment };
  let rejected: { order: { id: string; number: string }; fulfillment: Fulfillment };
  const names: Record<string, string> = {};

  const api = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await server.adminFetch(method, url, body, headers);
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };

  const asOf = new Date(Date.parse(WEB_TEST_NOW) + 1000).toISOString();
  /** Only Rivoli holds these SKUs: every other position of them drops to zero, in one batch of movements. */
  async function onlyAtRivoli(stock: Record<string, number>) {
    const movements = [];
    for (const sku of Object.keys(stock)) {
      const { positions } = (await api('GET', `/v1/inventory/${sku}`)) as { positions: Array<{ locationId: string; onHand: number }> };
      for (const p of positions) {
        if (p.locationId !== RIVOLI && p.onHand > 0) movements.push({ eventId: `web-test-${sku}-${p.locationId}`, locationId: p.locationId, sku, delta: -p.onHand, occurredAt: asOf });
      }
    }
    expect((await api('POST', '/v1/inventory/movements', { movements })).applied).toBe(movements.length);
    for (const [sku, onHand] of Object.entries(stock)) expect((await api('PUT', `/v1/inventory/${RIVOLI}/${sku}`, { onHand, asOf })).applied).toBe(true);
  }

  async function place(key: string, body: Record<string, unknown>) {
    const order = (await api('POST', '/v1/orders', { channel: 'web', currency: 'EUR', payment: { provider: 'manual' }, ...body }, { 'idempotency-key': key })) as { id: string; number: string };
    const { items } = (await api('GET', `/v1/fulfillments?orderId=${order.id}`)) as { items: Fulfillment[] };
    expect(items.map((f) => [f.locationId, f.status])).toEqual([[RIVOLI, 'pending']]);
    return { order, fulfillment: items[0]! };
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    // The scarf carries its EAN in the catalogue: the scanner may read it instead of the SKU.
    const scarf = (await api('GET', `/v1/products/${SCARF}`)) as Record<string, unknown> & { attributes: Record<string, string> };
    const { sku: _sku, createdAt: _c, updatedAt: _u, ...product } = scarf;
    await api('PUT', `/v1/products/${SCARF}`, { ...product, attributes: { ...scarf.attributes, ean: SCARF_EAN } });
    for (const sku of [BEANIE, SCARF]) names[sku] = ((await api('GET', `/v1/products/${sku}`)) as { name: string }).name;
    await onlyAtRivoli({ [BEANIE]: 8, [SCARF]: 4 });
    await api('PUT', `/v1/inventory/${RIVOLI}/${BELT}`, { onHand: 3, asOf });
    await server.ctx.availability.refresh();

    const address = { name: 'Camille Dubois', line1: '10 rue Oberkampf', postalCode: '75011', city: 'Paris', country: 'FR' };
    shipped = await place('web-store-a', {
      customer: { name: 'Camille Dubois', email: 'camille.dubois@example.fr', phone: '+33 6 11 22 33 44' },
      lines: [{ sku: BEANIE, quantity: 2 }, { sku: SCARF, quantity: 1 }],
      delivery: { method: 'ship', service: 'standard', address },
    });
    pickup = await place('web-store-b', {
      customer: { name: 'Zoé Lambert', email: 'zoe.lambert@example.fr', locale: 'fr-FR' },
      lines: [{ sku: BELT, quantity: 1 }],
      delivery: { method: 'pickup', pickupLocationId: RIVOLI },
    });
    waiting = await place('web-store-c', {
      customer: { name: 'Hugo Petit', email: 'hugo.petit@example.fr' },
      lines: [{ sku: BEANIE, quantity: 1 }],
      delivery: { method: 'ship', service: 'standard', address: { ...address, name: 'Hugo Petit' } },
    });
    // Nowhere else holds beanies nor scarves: the missing beanie and the damaged scarf find no other location.
    short = await place('web-store-d', {
      customer: { name: 'Inès Moreau', email: 'ines.moreau@example.fr' },
      lines: [{ sku: BEANIE, quantity: 2 }],
      delivery: { method: 'ship', service: 'standard', address: { ...address, name: 'Inès Moreau' } },
    });
    rejected = await place('web-store-e', {
      customer: { name: 'Paul Girard', email: 'paul.girard@example.fr' },
      lines: [{ sku: SCARF, quantity: 1 }],
      delivery: { method: 'ship', service: 'standard', address: { ...address, name: 'Paul Girard' } },
    });
    await createUser(server, { email: 'lea@rivoli.example', password: PASSWORD, role: 'store', name: 'Léa (Rivoli)', locationIds: [RIVOLI] });
    await createUser(server, { email: 'karim@partdieu.example', password: PASSWORD, role: 'store', name: 'Karim (Part-Dieu)', locationIds: ['store-lyon-part-dieu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const card = (page: Page, orderNumber: string) => page.getByTestId('fulfillment-card').filter({ hasText: orderNumber });
  /** The UI answers after requests: wait for it (vitest's default of 1 s is too short on a busy machine). */
  const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
  const visible = (locator: { isVisible(): Promise<boolean> }) => eventually(() => locator.isVisible()).toBe(true);

  /** Types a code into the scan field the way a keyboard-wedge scanner does: the characters, then Enter. */
  async function scan(page: Page, code: string) {
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  }
  const feedback = (page: Page) => page.getByTestId('scan-feedback');
  const scanFieldFocused = (page: Page) => page.getByLabel('Scan an item').evaluate((el) => el === document.activeElement);

  it('a home delivery sourced to the store: queue, accept, scan, pack, ship, label, shipped', async () => {
    const { context, page } = await openPage(browser, server, { phone: true });
    await login(page, 'lea@rivoli.example', PASSWORD);
    await page.waitForURL(/\/app\/store$/);
    await visible(page.getByRole('heading', { name: 'To prepare' }));
    await visible(card(page, shipped.order.number));
    await visible(card(page, pickup.order.number));
    await eventually(() => card(page, shipped.order.number).textContent()).toMatch(/Shipment.*To accept.*Camille Dubois.*Due .*3 items/);
    // The kind filter narrows the queue: click & collect only.
    await page.getByText('Collect', { exact: true }).click();
    await eventually(() => card(page, shipped.order.number).count()).toBe(0);
    await visible(card(page, pickup.order.number));
    await page.getByText('All', { exact: true }).click();
    await visible(card(page, shipped.order.number));
    await screenshot(page, 'store-queue-phone');

    await card(page, shipped.order.number).click();
    await page.waitForURL(new RegExp(`/store/fulfillments/${shipped.fulfillment.id}$`));
    await visible(page.getByText('Camille Dubois · 75011 · Paris'));
    await visible(page.getByRole('link', { name: '+33 6 11 22 33 44' }));
    await page.getByRole('button', { name: 'Accept', exact: true }).click();

    const field = page.getByLabel('Scan an item');
    await visible(field);
    await eventually(() => scanFieldFocused(page)).toBe(true);
    await scan(page, BEANIE);
    await eventually(() => feedback(page).textContent()).toBe(`✓ ${names[BEANIE]}: 1 of 2`);
    await scan(page, 'JSL-IND-40');
    await eventually(() => feedback(page).textContent()).toBe('Wrong item: JSL-IND-40 is not in this order.');
    await visible(feedback(page).getByRole('alert'));
    await scan(page, BEANIE.toLowerCase());
    await eventually(() => feedback(page).textContent()).toBe(`✓ ${names[BEANIE]}: 2 of 2`);
    await scan(page, BEANIE);
    await eventually(() => feedback(page).textContent()).toBe(`Too many: all 2 × ${names[BEANIE]} are already picked.`);
    await scan(page, SCARF_EAN);
    await eventually(() => feedback(page).textContent()).toBe(`✓ ${names[SCARF]}: 1 of 1`);
    await eventually(() => scanFieldFocused(page)).toBe(true);
    await screenshot(page, 'store-pick-phone');

    // Manual counts keep the scanner's focus in the field.
    await page.getByRole('button', { name: `One less ${BEANIE}` }).click();
    await visible(page.getByLabel(`${BEANIE}: 1 of 2 picked`));
    await eventually(() => scanFieldFocused(page)).toBe(true);
    await page.getByRole('button', { name: `One more ${BEANIE}` }).click();
    await visible(page.getByLabel(`${BEANIE}: 2 of 2 picked`));
    await page.getByRole('button', { name: 'Confirm the pick' }).click();

    const weight = page.getByLabel('Parcel 1 weight (kg)');
    await visible(weight);
    await weight.fill('0.6');
    await page.getByRole('button', { name: 'Pack (1 parcel)' }).click();
    await visible(page.getByRole('combobox', { name: 'Carrier' }));
    await page.getByRole('button', { name: 'Ship and print the label' }).click();

    const label = page.getByRole('link', { name: 'Print the label' });
    await visible(label);
    const labelResponse = context.waitForEvent('response', (r) => r.url().endsWith(`/v1/fulfillments/${shipped.fulfillment.id}/label`));
    const [popup] = await Promise.all([page.waitForEvent('popup'), label.click()]);
    const pdf = await labelResponse;
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const bytes = await fetch(pdf.url(), { headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    expect(Buffer.from(await bytes.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    await popup.close();

    const order = (await api('GET', `/v1/orders/${shipped.order.id}`)) as { status: string };
    const f = (await api('GET', `/v1/fulfillments/${shipped.fulfillment.id}`)) as { status: string; parcels: Array<{ weightGrams: number }>; lines: Array<{ sku: string; pickedQuantity: number }> };
    expect(order.status).toBe('shipped');
    expect(f).toMatchObject({ status: 'shipped', parcels: [{ weightGrams: 600 }] });
    expect(f.lines.map((l) => [l.sku, l.pickedQuantity]).sort()).toEqual([[BEANIE, 2], [SCARF, 1]].sort());
    await context.close();
  });

  it('a click & collect: prepared in the app, handed over after a wrong code against the right one', async () => {
    const { context, page } = await openPage(browser, server, { phone: true });
    await login(page, 'lea@rivoli.example', PASSWORD);
    await card(page, pickup.order.number).click();
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await visible(page.getByLabel('Scan an item'));
    await scan(page, BELT);
    await eventually(() => feedback(page).textContent()).toContain('1 of 1');
    await page.getByRole('button', { name: 'Confirm the pick' }).click();
    await page.getByRole('button', { name: 'Ready for pickup' }).click();
    const told = page.getByText('Ready: the customer received their pickup code.');
    await visible(told);
    await visible(page.getByRole('link', { name: 'Hand over to the customer' }));

    const code = await pickupCode(pickup.order.id);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await page.getByRole('link', { name: 'Handover' }).click();
    await page.getByLabel('Order number, customer name or e-mail').fill('zoe lambert');
    await page.getByRole('button', { name: new RegExp(pickup.order.number) }).click();
    const codeField = page.getByLabel('Pickup code');
    await codeField.fill(wrong);
    await page.getByRole('button', { name: 'Hand over', exact: true }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'Wrong code. 4 attempts left before the handover is locked.' }));
    // The earlier toast closes by itself: the screenshot shows the handover alone.
    await eventually(() => told.isVisible()).toBe(false);
    await screenshot(page, 'store-handover-phone');
    await codeField.fill(code);
    await page.getByRole('button', { name: 'Hand over', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Handed over' }));
    await visible(page.getByText(`Order ${pickup.order.number} is complete: Zoé Lambert leaves with 1 item.`));

    const f = (await api('GET', `/v1/fulfillments/${pickup.fulfillment.id}`)) as { status: string };
    const order = (await api('GET', `/v1/orders/${pickup.order.id}`)) as { status: string };
    expect([f.status, order.status]).toEqual(['collected', 'completed']);
    await context.close();
  });

  it('a short pick and a rejection with its reason, through the app', async () => {
    const { context, page } = await openPage(browser, server, { phone: true });
    await login(page, 'lea@rivoli.example', PASSWORD);
    await page.goto(`/app/store/fulfillments/${short.fulfillment.id}`);
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await visible(page.getByLabel('Scan an item'));
    await scan(page, BEANIE);
    await eventually(() => feedback(page).textContent()).toBe(`✓ ${names[BEANIE]}: 1 of 2`);
    await visible(page.getByText('1 item left to pick'));
    await page.getByRole('button', { name: 'Short pick: items are missing' }).click();
    await visible(page.getByText('1 item was not found. It will be taken off this store’s stock and sourced from another location.'));
    await page.getByRole('button', { name: 'Confirm the short pick' }).click();
    await visible(page.getByText('Short pick recorded: the missing items are sourced elsewhere.'));
    // The fulfillment keeps the unit found, ready to pack; the missing one left it.
    await visible(page.getByLabel('Parcel 1 weight (kg)'));
    await visible(page.getByTestId('item-row').filter({ hasText: BEANIE }).getByText('× 1'));
    const picked = (await api('GET', `/v1/fulfillments/${short.fulfillment.id}`)) as { status: string; lines: Array<{ quantity: number; pickedQuantity: number }> };
    expect([picked.status, picked.lines.map((l) => [l.quantity, l.pickedQuantity])]).toEqual(['picked', [[1, 1]]]);

    await page.goto(`/app/store/fulfillments/${rejected.fulfillment.id}`);
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    const confirm = page.getByRole('button', { name: 'Reject: send it elsewhere' });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByRole('radio', { name: 'Items damaged' }).check();
    await confirm.click();
    await visible(page.getByText('Rejected: the order was sent to another location.'));
    const refused = (await api('GET', `/v1/fulfillments/${rejected.fulfillment.id}`)) as { status: string; rejectReason: string };
    expect([refused.status, refused.rejectReason]).toEqual(['rejected', 'damaged']);
    await context.close();
  });

  async function pickupCode(orderId: string): Promise<string> {
    const rows = await server.ctx.db.selectFrom('outbox_event').select('payload').where('aggregate_id', '=', orderId).where('type', '=', 'order.ready_for_pickup').orderBy('id').execute();
    const code = String((rows.at(-1)?.payload as { pickupCode?: string } | undefined)?.pickupCode);
    expect(code).toMatch(/^\d{6}$/);
    return code;
  }

  it("another store's associate gets the not-found state for a Rivoli fulfillment, and its queue does not list it", async () => {
    const { context, page } = await openPage(browser, server, { phone: true });
    await login(page, 'karim@partdieu.example', PASSWORD);
    await page.goto(`/app/store/fulfillments/${waiting.fulfillment.id}`);
    await visible(page.getByText('This order does not exist or belongs to another store.'));
    expect(await page.getByText('Hugo Petit').count()).toBe(0);
    await page.getByRole('link', { name: 'Back to the queue' }).click();
    await visible(page.getByRole('heading', { name: 'To prepare' }));
    await eventually(async () => (await page.getByText('Nothing to prepare right now.').isVisible()) || (await page.getByTestId('fulfillment-card').count()) > 0).toBe(true);
    expect(await card(page, waiting.order.number).count()).toBe(0);
    // The same user, asking the API directly, is refused the same way.
    const direct = await page.evaluate(async (id) => (await fetch(`/v1/fulfillments/${id}`)).status, waiting.fulfillment.id);
    expect(direct).toBe(404);
    await context.close();
  });
});
