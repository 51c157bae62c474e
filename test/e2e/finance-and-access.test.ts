// Finance reads the dashboards and spend, exports CSV, and finds no way to write — and the
// database refuses the same calls made directly with finance's token. A customer who is not
// staff sees the no-access page; a wrong password shows an error.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, newPage } from '../support/e2e/chromium';
import {
  DEMO,
  DEMO_PASSWORD,
  notification,
  revealCharts,
  screenshotForReadme,
  serviceApi,
  signIn,
  signedIn,
} from '../support/e2e/app';

const e2e = inject('e2e');
let browser: Browser;

describe.skipIf(!e2e)('finance', () => {
  const api = e2e ? serviceApi(e2e.apiUrl, e2e.serviceRoleKey) : null!;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sees the dashboard with charts drawn and changes the range', async () => {
    const page = await newPage(browser, 'finance-dashboard');
    await signedIn(page, e2e!.appUrl, DEMO.finance);
    await page
      .getByRole('group', { name: /generations/i })
      .first()
      .waitFor();
    await screenshotForReadme(page, 'dashboard');
    // The charts below the fold are drawn as they scroll into view.
    await revealCharts(page, 3);
    await page.getByLabel('Range').click();
    await page.getByRole('option', { name: /7 days/i }).click();
    await page.waitForURL(/[?&]range=7d(&|$)/);
    // The figures are the new range's: the KPI compares with the previous 7 days.
    await page
      .getByText(/in the previous 7 days/)
      .first()
      .waitFor();
    await page.locator('.recharts-surface').first().waitFor();

    // 16.12: 90 days against a previous period from before the demo's traffic. The figures
    // the page was given, read from its own request, decide what the caption must say.
    const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
    const answer = page.waitForResponse((r) => {
      const body = r.url().includes('/rpc/dashboard_metrics') && r.request().postDataJSON();
      return !!body && !body.p_provider && days(body.p_from, body.p_to) === 89;
    });
    await page.goto(`${e2e!.appUrl}/#/?range=90d`);
    const m = (await (await answer).json()) as {
      generations: number;
      previous_generations: number;
    };
    expect(
      m.previous_generations * 11,
      'the previous 90 days hold under an eleventh of these',
    ).toBeLessThan(m.generations);
    const caption = await page
      .getByRole('group', { name: 'Generations' })
      .getByText(/previous 90 days/)
      .innerText();
    expect(caption).not.toContain('%');
    expect(caption).toMatch(
      m.previous_generations ? /^\+[\d,]+ vs [\d,]+ in the previous 90 days$/ : /^new: none/,
    );
    // With a provider filter, the caption says whose spend and whose purchases these are.
    const [{ provider }] = await api.rows<{ provider: string }>(
      'generations?select=provider&provider=not.is.null&limit=1',
    );
    await page.goto(`${e2e!.appUrl}/#/?range=90d&provider=${encodeURIComponent(provider)}`);
    await page
      .getByRole('group', { name: 'Credits spent vs bought' })
      .getByText(`spent on ${provider}; bought: all customers, every provider`, { exact: false })
      .waitFor();
  });

  it('reads the spend page and exports exactly what the chart shows as CSV', async () => {
    const page = await newPage(browser, 'finance-spend');
    await signedIn(page, e2e!.appUrl, DEMO.finance);
    await page.goto(`${e2e!.appUrl}/#/spend`);
    await page.locator('.recharts-surface').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0].toLowerCase()).toContain('day');
    expect(lines.length).toBeGreaterThan(7);
    await screenshotForReadme(page, 'spend');

    // Drilling into the costliest provider asks the database for that provider's models only
    // (the full dashboard_metrics answer has no per-model series), and each day's models add up to the
    // provider's column of the first export.
    const byProvider = lines.map((l) => l.replace(/^\uFEFF/, '').split(','));
    const provider = byProvider[0][1];
    const models = page.waitForResponse(
      (r) =>
        r.url().includes('/rpc/dashboard_metrics') && !!r.request().postDataJSON()?.p_models_of,
    );
    await page.getByRole('combobox', { name: 'Breakdown' }).click();
    await page.getByRole('option', { name: `${provider} by model` }).click();
    const asked = (await models).request().postDataJSON() as { p_models_of: string };
    expect(asked.p_models_of).toBe(provider);
    await page.getByRole('heading', { name: new RegExp(`of ${provider} by model`) }).waitFor();
    const [drilled] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const modelRows = fs
      .readFileSync(await drilled.path(), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.replace(/^\uFEFF/, '').split(','));
    expect(modelRows[0].at(-1)).toBe('total');
    expect(modelRows.map((r) => [r[0], Number(r.at(-1))]).slice(1)).toEqual(
      byProvider.slice(1).map((r) => [r[0], expect.closeTo(Number(r[1]), 5)]),
    );
  });

  it('finds no way to adjust credits or edit config', async () => {
    const page = await newPage(browser, 'finance-no-writes');
    await signedIn(page, e2e!.appUrl, DEMO.finance);
    const [customer] = await api.rows<{ id: string }>('customers?select=id&limit=1');
    await page.goto(`${e2e!.appUrl}/#/customers/${customer.id}/show`);
    await page.getByText('Balance', { exact: false }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Adjust credits' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Disable', exact: true }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: /runtime config/i }).count()).toBe(0);
  });

  it("the database refuses the same calls made directly with finance's token", async () => {
    const key = e2e!.anonKey;
    const token = await fetch(`${e2e!.apiUrl}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: DEMO.finance, password: DEMO_PASSWORD }),
    }).then((r) => r.json());
    const headers = {
      apikey: key,
      Authorization: `Bearer ${token.access_token}`,
      'Content-Type': 'application/json',
    };
    const [customer] = await api.rows<{ id: string; credits: number }>(
      'customers?select=id,credits&limit=1',
    );
    const adjust = await fetch(`${e2e!.apiUrl}/rest/v1/rpc/adjust_credits`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ p_customer_id: customer.id, p_delta: 100, p_reason: 'finance tries' }),
    });
    expect(adjust.status).toBe(403);
    const config = await fetch(`${e2e!.apiUrl}/rest/v1/runtime_config?key=eq.generation.enabled`, {
      method: 'PATCH',
      headers: { ...headers, Prefer: 'return=representation' },
      body: JSON.stringify({ value: false, expected_version: 1 }),
    });
    expect(await config.json()).toEqual([]);
    expect(
      (await api.one<{ value: boolean }>('runtime_config?select=value&key=eq.generation.enabled'))
        .value,
    ).toBe(true);
    expect(
      (await api.one<{ credits: number }>(`customers?select=credits&id=eq.${customer.id}`)).credits,
    ).toBe(customer.credits);
  });
});

describe.skipIf(!e2e)('access', () => {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a signed-in customer who is not staff sees the no-access page', async () => {
    const page = await newPage(browser, 'customer-no-access');
    await signIn(page, e2e!.appUrl, DEMO.customer);
    await page.getByText('No access to CreditDesk').waitFor();
    expect(await page.getByRole('menuitem', { name: 'Customers' }).count()).toBe(0);
  });

  it('a wrong password shows an error and stays on the sign-in page', async () => {
    const page = await newPage(browser, 'wrong-password');
    await signIn(page, e2e!.appUrl, DEMO.support, 'not-the-password');
    expect(await notification(page)).toMatch(/invalid login credentials/i);
    expect(page.url()).toContain('#/login');
  });
});
