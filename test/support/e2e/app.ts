import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from './chromium';

import { DEMO_PASSWORD } from '../../../supabase/local/keys.mjs';

export { DEMO_EMAILS as DEMO, DEMO_PASSWORD } from '../../../supabase/local/keys.mjs';

/** Signs in through ra-supabase's login page, as a person would. */
export async function signIn(page: Page, appUrl: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${appUrl}/#/login`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
}

/** Signs in and waits until the app has left the login page. */
export async function signedIn(page: Page, appUrl: string, email: string) {
  await signIn(page, appUrl, email);
  await page.waitForURL((url) => !url.hash.startsWith('#/login'));
  await page
    .getByRole('button', { name: /profile|user|account/i })
    .or(page.locator('header'))
    .first()
    .waitFor();
}

/** The PostgREST API with the service role: test set-up and checks, never what a person does. */
export function serviceApi(apiUrl: string, serviceRoleKey: string) {
  const headers = { apikey: serviceRoleKey, Authorization: `Bearer ${serviceRoleKey}` };
  return {
    async rows<T = Record<string, unknown>>(pathAndQuery: string): Promise<T[]> {
      const res = await fetch(`${apiUrl}/rest/v1/${pathAndQuery}`, { headers });
      expect(res.status, `GET ${pathAndQuery}`).toBe(200);
      return (await res.json()) as T[];
    },
    async one<T = Record<string, unknown>>(pathAndQuery: string): Promise<T> {
      const rows = await this.rows<T>(pathAndQuery);
      expect(rows, pathAndQuery).toHaveLength(1);
      return rows[0];
    },
  };
}

/** The README's screenshots come from the real app in this run. */
export async function screenshotForReadme(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/**
 * The text of the notification react-admin shows last: inside its snackbar only, so an alert
 * on the page itself (a failed generation's error, say) is never taken for it.
 */
export async function notification(page: Page) {
  const snackbar = page
    .locator('.MuiSnackbar-root .MuiSnackbarContent-message, .MuiSnackbar-root .MuiAlert-message')
    .last();
  await snackbar.waitFor();
  return (await snackbar.innerText()).trim();
}

/**
 * Scrolls down the page until `count` charts are drawn: the dashboard draws a chart (and loads
 * recharts) only when it comes into view.
 */
export async function revealCharts(page: Page, count: number) {
  const charts = page.locator('.recharts-surface');
  for (let i = 0; i < 20 && (await charts.count()) < count; i++) {
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(100);
  }
  await charts.nth(count - 1).waitFor();
}
