// The credit lifecycle in Chromium against the embedded stack: support grants credits with an
// expiry and sees the block in drawdown order; finance opens the Margin page and sees figures.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage } from '../support/e2e/chromium';
import { notification, screenshotForReadme, serviceApi, signedIn } from '../support/e2e/app';

const e2e = inject('e2e');
let browser: Browser;
let page: Page;

describe.skipIf(!e2e)('credit lifecycle', () => {
  const api = e2e ? serviceApi(e2e.apiUrl, e2e.serviceRoleKey) : null!;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('support grants credits with an expiry and sees the free block with its expiry', async () => {
    const [customer] = await api.rows<{ id: string; credits: number }>(
      'customers?select=id,credits&disabled=is.false&order=id.desc&offset=3&limit=1',
    );
    page = await newPage(browser, 'support-grant-credits');
    await signedIn(page, e2e!.appUrl, 'support@creditdesk.dev');
    await page.goto(`${e2e!.appUrl}/#/customers/${customer.id}/show`);
    await page.getByRole('button', { name: 'Grant credits' }).click();
    await page.getByLabel('Credits', { exact: true }).fill('75');
    // Ten days ahead, in the browser's local time as the datetime-local input wants it.
    const at = new Date(Date.now() + 10 * 86_400_000);
    const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000)
      .toISOString()
      .slice(0, 16);
    await page.getByLabel('Expires (optional)').fill(local);
    await page.getByLabel('Reason *').fill('e2e: referral bonus');
    await page.getByRole('button', { name: 'Grant', exact: true }).click();
    expect(await notification(page)).toContain(`New balance: ${customer.credits + 75}`);

    const [block] = await api.rows<{
      id: number;
      original: number;
      kind: string;
      expires_at: string;
    }>(
      `credit_blocks?select=id,original,kind,expires_at&customer_id=eq.${customer.id}&order=id.desc&limit=1`,
    );
    expect(block).toMatchObject({ original: 75, kind: 'free' });
    // The input has minute precision; the browser and this process share the time zone.
    expect(Math.abs(Date.parse(block.expires_at) - at.getTime())).toBeLessThan(120_000);
    await page.getByRole('tab', { name: 'Credit blocks' }).click();
    const row = page.getByTestId(`credit-block-${block.id}`);
    await row.waitFor();
    expect(await row.innerText()).toContain('75');
    expect(await page.getByTestId('balance-split').innerText()).toMatch(
      /Expiring in the next 30 days: [1-9]/,
    );
    await screenshotForReadme(page, 'customer-credit-blocks');
  });

  it('finance opens the Margin page and sees revenue, cost and the provider/model table', async () => {
    page = await newPage(browser, 'finance-margin');
    await signedIn(page, e2e!.appUrl, 'finance@creditdesk.dev');
    await page.getByRole('menuitem', { name: 'Margin' }).click();
    await page.getByRole('group', { name: 'Revenue recognised' }).waitFor();
    const revenue = await page.getByRole('group', { name: 'Revenue recognised' }).innerText();
    expect(revenue).toMatch(/\$[1-9]/);
    await page
      .getByRole('table', { name: 'Margin by provider and model' })
      .getByText('wavespeed')
      .first()
      .waitFor();
    await screenshotForReadme(page, 'margin');
  });
});
