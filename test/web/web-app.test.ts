import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser.js';
import { startWebServer, type WebTestServer } from './support/web-server.js';

describe('the web apps are served by Ordo under /app', () => {
  let server: WebTestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('answers deep links with the app, assets with long caching, and keeps the API JSON', async () => {
    const root = await fetch(`${server.baseUrl}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/app/']);
    const deep = await fetch(`${server.baseUrl}/app/bo/orders/123`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    expect(deep.headers.get('x-frame-options')).toBe('DENY');
    const html = await deep.text();
    const asset = /src="\/app\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${server.baseUrl}/app/${asset}`);
    expect([js.status, js.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable']);
    const escape = await fetch(`${server.baseUrl}/app/..%2f..%2fpackage.json`);
    expect(await escape.text()).not.toContain('"dependencies"');
    const api = await fetch(`${server.baseUrl}/v1/nothing-here`);
    expect([api.status, ((await api.json()) as { error: { code: string } }).error.code]).toEqual([404, 'not_found']);
  });

  it('sends a visitor who is not signed in to the login page, in the chosen language', async () => {
    const { context, page } = await openPage(browser, server, { locale: 'fr' });
    await page.goto('/app/bo/orders');
    await page.waitForURL(/\/app\/login\?next=%2Fbo%2Forders/);
    await expect.poll(() => page.getByRole('heading', { name: 'Connexion à Ordo' }).isVisible()).toBe(true);
    await page.getByText('EN', { exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to Ordo' }).isVisible()).toBe(true);
    await context.close();
  });
});
