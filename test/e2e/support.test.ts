// Support's day, in Chromium against the embedded stack: find a customer, adjust credits,
// disable the account, refund a failed generation, resolve feedback.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage } from '../support/e2e/chromium';
import { DEMO, notification, screenshotForReadme, serviceApi, signedIn } from '../support/e2e/app';

const e2e = inject('e2e');
let browser: Browser;
let page: Page;

type Customer = { id: string; email: string; credits: number; disabled: boolean };

describe.skipIf(!e2e)('support', () => {
  const api = e2e ? serviceApi(e2e.apiUrl, e2e.serviceRoleKey) : null!;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in and finds a customer by email', async () => {
    page = await newPage(browser, 'support-find-customer');
    await signedIn(page, e2e!.appUrl, DEMO.support);
    // Signing in records an admin session (the layout's heartbeat), seen within the minute.
    await expect
      .poll(async () => {
        const [last] = await api.rows<{ last_seen_at: string }>(
          `admin_sessions?select=last_seen_at&email=eq.${DEMO.support}&order=last_seen_at.desc&limit=1`,
        );
        return Date.now() - Date.parse(last.last_seen_at);
      })
      .toBeLessThan(60_000);
    await page.getByRole('menuitem', { name: 'Customers' }).click();
    const [customer] = await api.rows<Customer>(
      'customers?select=id,email&email=like.*example.com&order=id&limit=1',
    );
    await page.getByPlaceholder(/email/i).fill(customer.email.slice(0, 8));
    await page.getByRole('cell', { name: customer.email, exact: true }).waitFor();
    await screenshotForReadme(page, 'customers');
  });

  it('adjusts credits +50 with a reason and sees the balance and the ledger row', async () => {
    const [customer] = await api.rows<Customer>(
      'customers?select=id,email,credits,disabled&disabled=is.false&email=like.*example.com&order=id&limit=1',
    );
    page = await newPage(browser, 'support-adjust-credits');
    await signedIn(page, e2e!.appUrl, DEMO.support);
    await page.goto(`${e2e!.appUrl}/#/customers`);
    await page.getByPlaceholder(/email/i).fill(customer.email);
    await page.getByRole('cell', { name: customer.email, exact: true }).click();
    await page.getByRole('button', { name: 'Adjust credits' }).click();
    await page.getByLabel(/change/i).fill('50');
    await expect
      .poll(() => page.getByTestId('balance-after').innerText())
      // As the dialog shows it, grouped (formatInt): seeded balances are in the thousands.
      .toContain((customer.credits + 50).toLocaleString('en-US'));
    await page.getByLabel('Reason *').fill('e2e: goodwill for a slow render');
    await screenshotForReadme(page, 'adjust-credits');
    await page.getByRole('button', { name: 'Adjust', exact: true }).click();
    expect(await notification(page)).toContain(
      `New balance: ${(customer.credits + 50).toLocaleString('en-US')}`,
    );

    const after = await api.one<Customer>(
      `customers?select=id,email,credits,disabled&id=eq.${customer.id}`,
    );
    expect(after.credits).toBe(customer.credits + 50);
    await page.getByRole('tab', { name: 'Ledger' }).click();
    await page.getByText('e2e: goodwill for a slow render').waitFor();
  });

  it('disables the account with a reason and sees it disabled', async () => {
    const [customer] = await api.rows<Customer>(
      'customers?select=id,email,credits,disabled&disabled=is.false&order=id.desc&limit=1',
    );
    page = await newPage(browser, 'support-disable');
    await signedIn(page, e2e!.appUrl, DEMO.support);
    await page.goto(`${e2e!.appUrl}/#/customers/${customer.id}/show`);
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByLabel('Reason *').fill('e2e: chargeback');
    await page.getByRole('dialog').getByRole('button', { name: 'Disable', exact: true }).click();
    expect(await notification(page)).toContain('Account disabled');
    await page.getByRole('button', { name: 'Enable', exact: true }).waitFor();
    expect(
      (await api.one<Customer>(`customers?select=id,email,credits,disabled&id=eq.${customer.id}`))
        .disabled,
    ).toBe(true);
  });

  it('refunds a failed generation and sees the refund in the ledger', async () => {
    const [gen] = await api.rows<{ id: string; customer_id: string; credits_charged: number }>(
      'generations?select=id,customer_id,credits_charged&status=eq.failed&refunded_at=is.null&credits_charged=gt.0&limit=1',
    );
    page = await newPage(browser, 'support-refund');
    await signedIn(page, e2e!.appUrl, DEMO.support);
    await page.goto(`${e2e!.appUrl}/#/generations/${gen.id}/show`);
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByLabel('Reason *').fill('e2e: provider outage');
    await page.getByRole('dialog').getByRole('button', { name: 'Refund', exact: true }).click();
    expect(await notification(page)).toContain('Refunded');
    await page.goto(`${e2e!.appUrl}/#/customers/${gen.customer_id}/show/ledger`);
    await page.getByText('e2e: provider outage').waitFor();
    const refunds = await api.rows(
      `credit_transactions?select=id,delta&type=eq.refund&ref_id=eq.${gen.id}`,
    );
    expect(refunds).toEqual([expect.objectContaining({ delta: gen.credits_charged })]);
  });

  it('moves a feedback item to resolved with a note', async () => {
    const [item] = await api.rows<{ id: string }>(
      'feedback?select=id&status=eq.new&order=id&limit=1',
    );
    page = await newPage(browser, 'support-feedback');
    await signedIn(page, e2e!.appUrl, DEMO.support);
    await page.goto(`${e2e!.appUrl}/#/feedback/${item.id}`);
    await page.getByLabel('Status *').click();
    await page.getByRole('option', { name: 'Resolved' }).click();
    await page.getByLabel('Admin note').fill('e2e: fixed by the model update');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('e2e: fixed by the model update').waitFor();
    const after = await api.one<{ status: string; admin_note: string }>(
      `feedback?select=status,admin_note&id=eq.${item.id}`,
    );
    expect(after).toEqual({ status: 'resolved', admin_note: 'e2e: fixed by the model update' });
  });
});
