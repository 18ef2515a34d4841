import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { WebTestServer } from './web-server.js';

/** Debian's chromium (installed by .ci/run); ORDO_CHROMIUM overrides the path. */
export const CHROMIUM = process.env.ORDO_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set ORDO_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser context (own cookies) on the server, desktop or phone, English unless told. */
export async function openPage(browser: Browser, server: WebTestServer, opts: { phone?: boolean; locale?: 'en' | 'fr' } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const locale = opts.locale ?? 'en';
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: opts.phone ? PHONE : DESKTOP,
    isMobile: opts.phone ?? false,
    hasTouch: opts.phone ?? false,
    locale: locale === 'fr' ? 'fr-FR' : 'en-GB',
    timezoneId: 'Europe/Paris',
  });
  // The UI language is remembered per device; start each context in the asked one.
  await context.addInitScript((lng) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('ordo.language', lng), locale);
  const page = await context.newPage();
  // Generous: CI runs the browser suites next to the rest on two cores; a real hang still fails.
  page.setDefaultTimeout(30_000);
  return { context, page };
}

/** Creates a user through the API as the bootstrap admin (POST /v1/users). */
export async function createUser(
  server: WebTestServer,
  user: { email: string; password: string; role: 'admin' | 'ops' | 'service' | 'store'; name?: string; locationIds?: string[]; locale?: 'en' | 'fr' },
): Promise<{ id: string }> {
  const res = await server.adminFetch('POST', '/v1/users', { name: user.name ?? user.email.split('@')[0], ...user });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as { id: string };
}

/** Signs in through the login page and waits to leave it. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/app/login');
  await page.getByLabel(/e-mail/i).fill(email);
  // A role, not a label: the password field's visibility toggle is labelled "Toggle password visibility" too.
  await page.getByRole('textbox', { name: /password|mot de passe/i }).fill(password);
  await page.getByRole('button', { name: /sign in|se connecter/i }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

/**
 * Saves a screenshot under docs/screenshots/<name>.png when ORDO_SCREENSHOTS=1 (`npm run screenshots`);
 * otherwise does nothing, so the suite never rewrites committed images.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.ORDO_SCREENSHOTS !== '1') return;
  const dir = path.resolve(import.meta.dirname, '../../../docs/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}
