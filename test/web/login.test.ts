import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, openPage, screenshot } from './support/browser.js';
import { startWebServer, type WebTestServer } from './support/web-server.js';

/**
 * Signing in and out of the web apps with the demo users, and the admin's users page: a new store
 * associate is created in the browser and then signs in to the store app of their store.
 */
const DEMO_PASSWORD = 'ordo-demo-2026';

describe('sign-in and user accounts in the browser', () => {
  let server: WebTestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const visible = (page: Page, text: string | RegExp) => expect.poll(() => page.getByText(text).first().isVisible()).toBe(true);

  it('signs an ops user in to the back office after a wrong password said in plain words, and signs out', async () => {
    const { context, page } = await openPage(browser, server);
    await page.goto('/app/bo/orders');
    await page.waitForURL(/\/app\/login\?next=/);
    await page.getByLabel('E-mail').fill('ops@ordo.demo');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('This e-mail and password do not match an account.');
    await screenshot(page, 'login');

    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the visitor wanted to go, as Julien (ops): no users page in the menu.
    await page.waitForURL(/\/app\/bo\/orders$/);
    await expect.poll(() => page.getByTestId('current-user').textContent()).toBe('Julien Martin');
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/login/);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to Ordo' }).isVisible()).toBe(true);
    expect((await page.context().request.get(`${server.baseUrl}/v1/auth/session`)).status()).toBe(401);
    await page.goto('/app/bo');
    await page.waitForURL(/\/app\/login\?next=%2Fbo/);
    await context.close();
  });

  it('sends a store associate to the store app, in French when chosen, with French refusals', async () => {
    const { context, page } = await openPage(browser, server, { phone: true, locale: 'fr' });
    await page.goto('/app/login');
    await expect.poll(() => page.getByRole('heading', { name: 'Connexion à Ordo' }).isVisible()).toBe(true);
    await page.getByLabel('E-mail').fill('rivoli@ordo.demo');
    await page.getByLabel('Mot de passe').fill('mauvais-mot-de-passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Cet e-mail et ce mot de passe ne correspondent à aucun compte.');
    // Switching the language re-says the refusal in English.
    await page.getByText('EN', { exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('This e-mail and password do not match an account.');
    await page.getByText('FR', { exact: true }).click();
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/app\/store/);
    // The store app opens; the back office is not for store associates.
    await page.goto('/app/bo/users');
    await page.waitForURL(/\/app\/store/);
    await context.close();
  });

  it('lets an admin create a store associate who then signs in to their store; disabled, they cannot', async () => {
    const { context, page } = await openPage(browser, server);
    await login(page, 'admin@ordo.demo', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(/\/app\/bo\/users$/);
    await visible(page, 'rivoli@ordo.demo');
    const rivoliRow = page.getByRole('row').filter({ hasText: 'rivoli@ordo.demo' });
    expect(await rivoliRow.textContent()).toContain('Store associate');
    await screenshot(page, 'backoffice-users');

    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    // Nothing sent until the form is right: each field says what is missing.
    await visible(page, 'Enter an e-mail address such as name@example.com.');
    await visible(page, 'Pick at least one store.');
    await dialog.getByLabel('E-mail').fill('Nina.Roux@Maison.example');
    await dialog.getByLabel('Full name').fill('Nina Roux');
    await dialog.getByLabel('Stores').click();
    await page.getByRole('option', { name: 'Paris Rivoli' }).click();
    await dialog.getByText('New user', { exact: true }).click(); // closes the store list
    await dialog.getByLabel('Language').click();
    await page.getByRole('option', { name: 'Français' }).click();
    await dialog.getByLabel('Initial password').fill('rivoli-nina-2026');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await visible(page, 'nina.roux@maison.example can now sign in.');
    const ninaRow = page.getByRole('row').filter({ hasText: 'nina.roux@maison.example' });
    await expect.poll(() => ninaRow.textContent()).toContain('Paris Rivoli');
    expect(await ninaRow.textContent()).toContain('Never');

    const users = (await server.adminFetch('GET', '/v1/users')).json.items as Array<{ id: string; email: string; role: string; locationIds: string[]; locale: string }>;
    const nina = users.find((u) => u.email === 'nina.roux@maison.example')!;
    expect(nina).toMatchObject({ role: 'store', locationIds: ['store-paris-rivoli'], locale: 'fr' });

    // Nina signs in on her phone: the store app, in her language.
    const phone = await openPage(browser, server, { phone: true });
    await login(phone.page, 'nina.roux@maison.example', 'rivoli-nina-2026');
    await phone.page.waitForURL(/\/app\/store/);
    await expect.poll(() => phone.page.evaluate(() => document.documentElement.lang)).toBe('fr');

    // The admin disables her: her session ends and she cannot sign in again.
    await ninaRow.getByRole('button', { name: 'Edit nina.roux@maison.example' }).click();
    await page.getByRole('dialog').getByRole('switch', { name: 'Account active' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => ninaRow.textContent()).toContain('Disabled');
    const session = await phone.context.request.get(`${server.baseUrl}/v1/auth/session`);
    expect(session.status()).toBe(401);
    // (A new page load starts in the test context's language, English.)
    await phone.page.goto('/app/login');
    await phone.page.getByLabel('E-mail').fill('nina.roux@maison.example');
    await phone.page.getByLabel('Password').fill('rivoli-nina-2026');
    await phone.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => phone.page.getByRole('alert').textContent()).toBe('This account is disabled. Ask an administrator.');
    await phone.context.close();
    await context.close();
  });

  it('lets a signed-in user change their own password from the user menu', async () => {
    const { context, page } = await openPage(browser, server);
    await login(page, 'service@ordo.demo', DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Change my password' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Current password').fill('wrong-current-pw');
    await dialog.getByLabel(/^New password/).fill('service-new-2026');
    await dialog.getByLabel('Repeat the new password').fill('service-new-2026');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await visible(page, 'The current password is not right.');
    await dialog.getByLabel('Current password').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await visible(page, 'Password changed. Your other devices are signed out.');
    const login1 = await server.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'service@ordo.demo', password: 'service-new-2026' } });
    expect(login1.statusCode).toBe(200);
    await context.close();
  });
});
