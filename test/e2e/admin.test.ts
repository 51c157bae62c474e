// The admin's work in Chromium: a runtime config edit with its history, the stale second
// tab refused with the conflict message, a price change, and another role for a staff member.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage } from '../support/e2e/chromium';
import {
  DEMO,
  DEMO_PASSWORD,
  notification,
  screenshotForReadme,
  serviceApi,
  signedIn,
} from '../support/e2e/app';

const e2e = inject('e2e');
let browser: Browser;

describe.skipIf(!e2e)('admin', () => {
  const api = e2e ? serviceApi(e2e.apiUrl, e2e.serviceRoleKey) : null!;
  const KEY = 'rate_limit.per_minute';

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function openConfig(name: string): Promise<Page> {
    const page = await newPage(browser, name);
    await signedIn(page, e2e!.appUrl, DEMO.admin);
    await page.goto(`${e2e!.appUrl}/#/runtime_config/${encodeURIComponent(KEY)}`);
    await page
      .getByText(/version \d+/)
      .first()
      .waitFor();
    return page;
  }
  const valueInput = (page: Page) =>
    page
      .locator('form')
      .getByRole('textbox')
      .or(page.locator('form').getByRole('spinbutton'))
      .first();

  it('edits a runtime config value, sees it saved and in the history; a stale tab is refused', async () => {
    const before = await api.one<{ value: number; version: number }>(
      `runtime_config?select=value,version&key=eq.${KEY}`,
    );
    // Two tabs read the same version; the first saves, the second saves from stale data.
    const first = await openConfig('admin-config-first');
    const second = await openConfig('admin-config-second');

    await valueInput(first).fill(String(before.value + 10));
    await first.getByRole('button', { name: 'Save' }).click();
    expect(await notification(first)).toContain(`now version ${before.version + 1}`);
    await first
      .getByText(`version ${before.version + 1}`)
      .first()
      .waitFor();
    // The history panel shows the change just made, before and after.
    await first
      .getByText(String(before.value + 10))
      .last()
      .waitFor();
    await screenshotForReadme(first, 'runtime-config');

    await valueInput(second).fill(String(before.value + 99));
    await second.getByRole('button', { name: 'Save' }).click();
    await second
      .getByText(/was changed by someone else/)
      .first()
      .waitFor();

    const after = await api.one<{ value: number; version: number }>(
      `runtime_config?select=value,version&key=eq.${KEY}`,
    );
    expect(after).toEqual({ value: before.value + 10, version: before.version + 1 });
  });

  it('changes a generation price', async () => {
    const page = await newPage(browser, 'admin-price');
    await signedIn(page, e2e!.appUrl, DEMO.admin);
    await page.goto(`${e2e!.appUrl}/#/generation_types/upscale`);
    const cost = page.getByLabel('Cost (credits)');
    await cost.fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(
        async () =>
          (
            await api.one<{ cost_credits: number }>(
              'generation_types?select=cost_credits&type_key=eq.upscale',
            )
          ).cost_credits,
      )
      .toBe(3);
  });

  it('gives a staff member another role', async () => {
    // A staff member of the test's own, so the demo logins keep their roles for other files.
    const email = `e2e-staff-${Date.now()}@creditdesk.dev`;
    const headers = {
      apikey: e2e!.serviceRoleKey,
      Authorization: `Bearer ${e2e!.serviceRoleKey}`,
      'Content-Type': 'application/json',
    };
    const created = await fetch(`${e2e!.apiUrl}/auth/v1/admin/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, password: DEMO_PASSWORD, email_confirm: true }),
    }).then((r) => r.json());
    const staffRes = await fetch(`${e2e!.apiUrl}/rest/v1/staff`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ user_id: created.id, email, role: 'finance' }),
    });
    expect(staffRes.status).toBe(201);

    const page = await newPage(browser, 'admin-staff-role');
    await signedIn(page, e2e!.appUrl, DEMO.admin);
    await page.goto(`${e2e!.appUrl}/#/staff`);
    await page.getByRole('combobox', { name: `Role of ${email}` }).click();
    await page.getByRole('option', { name: /support/i }).click();
    expect(await notification(page)).toContain(`${email} is now support`);
    expect((await api.one<{ role: string }>(`staff?select=role&email=eq.${email}`)).role).toBe(
      'support',
    );
  });
});
