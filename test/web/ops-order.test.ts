import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchBrowser, login, openPage, screenshot } from './support/browser.js';
import { startWebServer, WEB_TEST_NOW, type WebTestServer } from './support/web-server.js';

/**
 * The back office order page, as ops use it: find the order, read why it was sourced where it was,
 * force a re-route away from that store, change the delivery address, cancel a line. Customer service
 * sees the same page without the re-route action.
 */
const PART_DIEU = 'store-lyon-part-dieu';
const RIVOLI = 'store-paris-rivoli';
const BEANIE = 'BON-NOI-TU';
const SCARF = 'ECH-GRI-TU';
const PASSWORD = 'correct-horse-battery-42';
/** A busy machine may take a few seconds to refetch after an action; expect.poll waits 1 s unless told. */
const WAIT = { timeout: 15_000 };

interface Order {
  id: string;
  number: string;
  status: string;
  delivery: { address: { line1: string; postalCode: string } };
  lines: Array<{ id: string; sku: string; status: string }>;
}

describe('back office: an ops user reads why an order is sourced where it is, and acts on it', () => {
  let server: WebTestServer;
  let browser: Browser;
  let order: Order;
  /** The demo's store names, as the page shows them. */
  let rivoli = '';
  let partDieu = '';

  const api = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await server.adminFetch(method, url, body, headers);
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };
  const fulfillments = async () =>
    ((await api('GET', `/v1/fulfillments?orderId=${order.id}`)) as { items: Array<{ number: string; locationId: string; status: string }> }).items
      .map((f) => [f.number, f.locationId, f.status])
      .sort((a, b) => a[0]!.localeCompare(b[0]!, 'en', { numeric: true }));

  /** Only Part-Dieu and Rivoli hold `sku`, 3 units each: every other position of it goes to zero. */
  async function onlyAtPartDieuAndRivoli(sku: string) {
    const asOf = new Date(Date.parse(WEB_TEST_NOW) + 1000).toISOString();
    const { positions } = (await api('GET', `/v1/inventory/${sku}`)) as { positions: Array<{ locationId: string; onHand: number }> };
    for (const p of positions) if (p.locationId !== PART_DIEU && p.locationId !== RIVOLI && p.onHand > 0) await api('PUT', `/v1/inventory/${p.locationId}/${sku}`, { onHand: 0, asOf });
    for (const at of [PART_DIEU, RIVOLI]) await api('PUT', `/v1/inventory/${at}/${sku}`, { onHand: 3, asOf });
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    rivoli = ((await api('GET', `/v1/locations/${RIVOLI}`)) as { name: string }).name;
    partDieu = ((await api('GET', `/v1/locations/${PART_DIEU}`)) as { name: string }).name;
    for (const sku of [BEANIE, SCARF]) await onlyAtPartDieuAndRivoli(sku);
    await server.ctx.availability.refresh();
    order = (await api(
      'POST',
      '/v1/orders',
      {
        channel: 'web',
        currency: 'EUR',
        payment: { provider: 'manual' },
        customer: { name: 'Léa Morel', email: 'lea.morel@example.fr', phone: '+33 6 98 76 54 32' },
        lines: [{ sku: BEANIE, quantity: 1 }, { sku: SCARF, quantity: 1 }],
        delivery: { method: 'ship', service: 'standard', address: { name: 'Léa Morel', line1: '8 rue de la Roquette', postalCode: '75011', city: 'Paris', country: 'FR' } },
      },
      { 'idempotency-key': 'web-ops-order-1' },
    )) as Order;
    expect(await fulfillments()).toEqual([[`${order.number}-F1`, RIVOLI, 'pending']]);
    await createUser(server, { email: 'ops.desk@example.fr', password: PASSWORD, role: 'ops', name: 'Olivia Ops' });
    await createUser(server, { email: 'service.desk@example.fr', password: PASSWORD, role: 'service', name: 'Sam Service' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Finds the order in the order list (newest first: it is the only one) and opens it. */
  async function openOrder(page: Page) {
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('link', { name: order.number, exact: true }).click();
    await page.getByRole('heading', { name: `Order ${order.number}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/app/bo/orders/${order.id}`);
  }

  /** A whole text (a string matches an element's text exactly) or a pattern becomes visible. */
  const visible = (page: Page, text: string | RegExp) =>
    expect.poll(() => (typeof text === 'string' ? page.getByText(text, { exact: true }) : page.getByText(text)).first().isVisible(), WAIT).toBe(true);

  it('ops read why it comes from Paris Rivoli, re-route it away, change the address and cancel a line', async () => {
    const { context, page } = await openPage(browser, server);
    try {
      await login(page, 'ops.desk@example.fr', PASSWORD);
      await openOrder(page);

      // Why from there: the chosen store's name and the reason, the candidates with the chosen one marked.
      await visible(page, new RegExp(`^Sent from ${rivoli} because it is the cheapest of \\d+ candidate locations\\.$`));
      const candidates = page.getByRole('table', { name: 'Candidates considered' });
      await expect.poll(() => candidates.locator('tr[data-chosen="true"]').innerText(), WAIT).toMatch(new RegExp(`${rivoli}\\s+Chosen`, 'i'));
      await expect.poll(() => candidates.getByText(partDieu).isVisible(), WAIT).toBe(true);
      await visible(page, new RegExp(`^Next best: ${partDieu}, .+ more, mostly `));
      await visible(page, 'Proven optimal');
      await visible(page, 'lea.morel@example.fr');
      expect(await page.getByRole('link', { name: 'Other orders of this customer' }).getAttribute('href')).toBe('/app/bo/orders?email=lea.morel%40example.fr');
      // The picture: the explanation, with the order's lines above it.
      await page.getByRole('region', { name: 'Why it is sent from there' }).scrollIntoViewIfNeeded();
      await screenshot(page, 'backoffice-order-detail');

      // Re-route the fulfillment away from Rivoli, with a reason.
      await page.getByRole('button', { name: `Re-route ${order.number}-F1` }).click();
      const reroute = page.getByRole('dialog', { name: `Re-route ${order.number}-F1` });
      await expect.poll(() => reroute.getByRole('checkbox', { name: `Never send them back to ${rivoli}` }).isChecked(), WAIT).toBe(true);
      const confirm = reroute.getByRole('button', { name: 'Re-route the units' });
      expect(await confirm.isDisabled()).toBe(true);
      await reroute.getByRole('textbox', { name: 'Reason' }).fill('Rivoli is closed after a water leak');
      await confirm.click();
      await visible(page, `${order.number}-F1 was re-routed.`);
      await visible(page, 'Re-routed after an ops request.');
      await visible(page, new RegExp(`^Sent from ${partDieu} because it is the only candidate location\\.$`));
      await visible(page, `Never considered: ${rivoli} (avoided at an ops request).`);
      await visible(page, /“Rivoli is closed after a water leak”/);
      expect(await fulfillments()).toEqual([
        [`${order.number}-F1`, RIVOLI, 'cancelled'],
        [`${order.number}-F2`, PART_DIEU, 'pending'],
      ]);
      await expect.poll(() => page.locator(`[data-fulfillment="${order.number}-F2"]`).innerText(), WAIT).toContain(`At ${partDieu}`);

      // A new street in the same postal code: the stock and dates stay.
      await page.getByRole('button', { name: 'Change address' }).click();
      const address = page.getByRole('dialog', { name: 'Change the delivery address' });
      await address.getByRole('textbox', { name: 'Address', exact: true }).fill('21 rue Saint-Maur');
      await address.getByRole('button', { name: 'Save the new address' }).click();
      await visible(page, 'The delivery address is changed.');
      await expect.poll(() => page.getByTestId('delivery-address').innerText(), WAIT).toContain('21 rue Saint-Maur');
      expect(((await api('GET', `/v1/orders/${order.id}`)) as Order).delivery.address).toMatchObject({ line1: '21 rue Saint-Maur', postalCode: '75011' });

      // Cancel the scarf only.
      await page.getByRole('button', { name: 'Cancel lines' }).click();
      const cancel = page.getByRole('dialog', { name: 'Cancel some lines?' });
      await cancel.getByRole('checkbox', { name: new RegExp(`\\(${SCARF}\\)`) }).check();
      await cancel.getByRole('button', { name: 'Cancel 1 line' }).click();
      await visible(page, '1 line cancelled.');
      await expect.poll(() => page.locator(`tr[data-line="${SCARF}"]`).innerText(), WAIT).toMatch(/cancelled/i);
      const after = (await api('GET', `/v1/orders/${order.id}`)) as Order;
      expect(after.lines.map((l) => [l.sku, l.status])).toEqual([
        [BEANIE, 'allocated'],
        [SCARF, 'cancelled'],
      ]);
      await visible(page, 'Line cancelled');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('with the release hold on, the page says until when new work is held, then which order shares its parcel', async () => {
    await api('PATCH', '/v1/fulfillment-settings', { releaseHoldMinutes: 10 });
    const { context, page } = await openPage(browser, server);
    try {
      const customer = { name: 'Hugo Petit', email: 'hugo.petit@example.fr' };
      const delivery = { method: 'ship', service: 'standard', address: { name: 'Hugo Petit', line1: '4 rue Keller', postalCode: '75011', city: 'Paris', country: 'FR' } };
      const place = async (key: string) => {
        const placed = (await api('POST', '/v1/orders', { channel: 'web', currency: 'EUR', customer, lines: [{ sku: BEANIE, quantity: 1 }], delivery }, { 'idempotency-key': key })) as Order;
        await server.ctx.availability.refresh();
        return placed;
      };
      const first = await place('web-ops-held-1');
      server.clock.advance(60_000);
      const second = await place('web-ops-held-2');

      await login(page, 'ops.desk@example.fr', PASSWORD);
      await page.goto(`/app/bo/orders/${first.number}`);
      await page.getByRole('heading', { name: `Order ${first.number}` }).waitFor();
      await expect.poll(() => page.locator(`[data-fulfillment="${first.number}-F1"]`).innerText(), WAIT).toMatch(/Held before release[\s\S]*Held until .+, then sent to the location/i);

      // The hold ends: the release task hands both to the store as one parcel.
      server.clock.advance(10 * 60_000);
      const merged = async () => ((await api('GET', `/v1/fulfillments?orderId=${second.id}`)) as { items: Array<{ mergedWith?: unknown[] }> }).items[0]?.mergedWith?.length ?? 0;
      await expect.poll(merged, WAIT).toBe(1);
      await page.reload();
      const shared = page.locator(`[data-fulfillment="${first.number}-F1"]`).getByTestId('shared-parcel');
      await expect.poll(() => shared.innerText(), WAIT).toBe(`One parcel with order ${second.number}`);
      await visible(page, 'Merged into one shipment');
      // The other order's page: its work is prepared under the first order's fulfillment.
      await shared.getByRole('link', { name: second.number }).click();
      await page.getByRole('heading', { name: `Order ${second.number}` }).waitFor();
      await expect.poll(() => page.getByTestId('shared-parcel').innerText(), WAIT).toBe(`One parcel with order ${first.number} · prepared as ${first.number}-F1`);
      // Only its own units are listed, not the other order's.
      expect(await page.locator(`[data-fulfillment="${second.number}-F1"]`).innerText()).toContain(`${BEANIE} ×1`);
    } finally {
      await context.close();
      await api('PATCH', '/v1/fulfillment-settings', { releaseHoldMinutes: 0 });
    }
  }, 90_000);

  it('customer service sees the same page and may cancel, but is not offered the re-route', async () => {
    const { context, page } = await openPage(browser, server, { locale: 'fr' });
    try {
      await login(page, 'service.desk@example.fr', PASSWORD);
      await page.goto(`/app/bo/orders/${order.number}`);
      await page.getByRole('heading', { name: `Commande ${order.number}` }).waitFor();
      await visible(page, `Envoyée depuis ${partDieu} car c’est le seul site candidat.`);
      await expect.poll(() => page.getByRole('button', { name: 'Annuler la commande' }).isVisible(), WAIT).toBe(true);
      expect(await page.getByRole('button', { name: /Réacheminer/ }).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);
});
