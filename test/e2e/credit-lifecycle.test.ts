// The credit lifecycle in Chromium against the embedded stack: support grants credits with an
// expiry and sees the block in drawdown order; finance opens the Margin page and sees figures.
import fs from 'node:fs';
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
      // One holding paid credits, so the drawdown order has paid blocks to come after the grant.
      'customers?select=id,credits,credit_blocks!inner(id)&credit_blocks.kind=eq.paid&credit_blocks.remaining=gt.0' +
        '&disabled=is.false&deleted_at=is.null&order=id.desc&offset=3&limit=1',
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
    // The block as support sees it: free, 75 of 75 left, and its expiry ten days ahead (UTC).
    const shown = await row.innerText();
    expect(shown).toMatch(/\bfree\b/);
    expect(shown).toMatch(/\b75\s+75\b/);
    const day = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    }).format(at);
    expect(shown).toContain(`${day}, `);
    expect(shown).toContain('(next week)');
    // Drawn soonest expiry first: the 10-day grant comes before every paid block (a year).
    const order = await page
      .getByRole('table', { name: 'Credit blocks in drawdown order' })
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => ({
          id: r.getAttribute('data-testid'),
          kind: (r as HTMLTableRowElement).cells[1].innerText.trim(),
        })),
      );
    const at10 = order.findIndex((r) => r.id === `credit-block-${block.id}`);
    expect(at10).toBeGreaterThanOrEqual(0);
    const paid = order.map((r, i) => (r.kind === 'paid' ? i : -1)).filter((i) => i >= 0);
    expect(paid.length).toBeGreaterThan(0);
    expect(Math.min(...paid)).toBeGreaterThan(at10);
    expect(await page.getByTestId('balance-split').innerText()).toMatch(
      /Expiring in the next 30 days: [1-9]/,
    );
    await screenshotForReadme(page, 'customer-credit-blocks');
  });

  it('finance opens the Margin page: revenue, cost, margin, deferred revenue, breakage, the daily chart, the provider/model table and its CSV; credits bought as on the dashboard', async () => {
    page = await newPage(browser, 'finance-margin');
    await signedIn(page, e2e!.appUrl, 'finance@creditdesk.dev');
    const answer = page.waitForResponse((r) => r.url().includes('/rpc/finance_metrics'));
    await page.getByRole('menuitem', { name: 'Margin' }).click();
    // The answer arrives columnar (one array per field, 20261204400000); the page shows the
    // rows the app's decoder rebuilds from it.
    const wire = (await (await answer).json()) as {
      by_model: Record<string, (string | number | null)[]>;
    };
    expect(Array.isArray(wire.by_model.provider)).toBe(true);
    const kpi = (name: string) => page.getByRole('group', { name });
    await kpi('Revenue recognised').waitFor();
    for (const name of ['Revenue recognised', 'Provider cost', 'Cash in (purchases)'])
      expect(await kpi(name).innerText(), name).toMatch(/\$[1-9]/);
    // The seed's month has unspent paid credits; breakage may be $0.00 but is shown.
    expect(await kpi('Deferred revenue').innerText()).toMatch(/\$[1-9]/);
    expect(await kpi('Breakage').innerText()).toMatch(/\$\d/);
    expect(await kpi('Gross margin').innerText()).toMatch(/%/);
    await page.locator('.recharts-surface').first().waitFor();
    const byModel = page.getByRole('table', { name: 'Margin by provider and model' });
    await byModel.getByText('wavespeed').first().waitFor();
    await screenshotForReadme(page, 'margin');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const lines = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'provider,model,generations,revenue_usd,refunds_usd,cost_usd,margin_usd,margin_pct',
    );
    // One line per row of the table, and one per row of the columnar answer, in its order.
    expect(lines.length - 1).toBe(await byModel.locator('tbody tr').count());
    expect(lines.length - 1).toBe(wire.by_model.provider.length);
    expect(lines.some((l) => l.startsWith('wavespeed,'))).toBe(true);
    const columns = lines[0].split(',');
    expect(lines[1]).toBe(columns.map((c) => wire.by_model[c][0] ?? '').join(','));

    // The same range on the dashboard counts the same credits bought (every purchase is a
    // paid block, so the ledger's figure and finance's agree).
    const bought = (await kpi('Cash in (purchases)').innerText()).match(/([\d,]+) credits bought/);
    expect(bought).not.toBeNull();
    await page.getByRole('menuitem', { name: 'Dashboard' }).click();
    const credits = kpi('Credits spent vs bought');
    await credits.waitFor();
    const dash = (await credits.innerText()).match(/[\d,]+ \/ ([\d,]+)/);
    expect(dash?.[1]).toBe(bought![1]);
  });
});
