// Issue 16, in Chromium against the seeded embedded stack (~7,000 generations, ~9,000 ledger
// rows): totals and paging, exports, dates, laptop widths, who is who, filters by known values.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage } from '../support/e2e/chromium';
import { serviceApi, signedIn } from '../support/e2e/app';

const e2e = inject('e2e');
let browser: Browser;

// A loaded machine takes seconds to page through thousands of rows: poll, never sleep.
const POLL = { timeout: 60_000 };
const FINANCE = 'finance@creditdesk.dev';
const SUPPORT = 'support@creditdesk.dev';

/** A minimal RFC 4180 reader: enough for quoted cells with commas, quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endCell();
      rows.push(row);
      row = [];
    } else cell += c;
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

describe.skipIf(!e2e)('at volume and on a laptop (issue 16)', () => {
  const api = e2e ? serviceApi(e2e.apiUrl, e2e.serviceRoleKey) : null!;
  const headers: Record<string, string> = e2e
    ? { apikey: e2e.serviceRoleKey, Authorization: `Bearer ${e2e.serviceRoleKey}` }
    : {};

  /** The exact number of rows a PostgREST query selects, as the service role sees them. */
  async function exactCount(pathAndQuery: string): Promise<number> {
    const sep = pathAndQuery.includes('?') ? '&' : '?';
    const res = await fetch(`${e2e!.apiUrl}/rest/v1/${pathAndQuery}${sep}limit=1`, {
      headers: { ...headers, Prefer: 'count=exact' },
    });
    expect(res.status, pathAndQuery).toBeLessThan(300);
    return Number(res.headers.get('content-range')!.split('/')[1]);
  }

  async function insert(table: string, row: Record<string, unknown>) {
    const res = await fetch(`${e2e!.apiUrl}/rest/v1/${table}`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', Prefer: 'return=minimal' },
      body: JSON.stringify(row),
    });
    expect(res.status, await res.text()).toBe(201);
  }

  /** A loaded CI machine takes tens of seconds for a page of thousands of rows. */
  async function slowPage(name: string) {
    const page = await newPage(browser, name);
    page.setDefaultTimeout(60_000);
    return page;
  }

  const pager = (page: Page) => page.locator('.MuiTablePagination-displayedRows').first();

  async function download(page: Page, click: () => Promise<void>): Promise<string[][]> {
    const [file] = await Promise.all([
      page.waitForEvent('download', { timeout: 240_000 }),
      click(),
    ]);
    return parseCsv(fs.readFileSync((await file.path())!, 'utf8'));
  }

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('1. totals: generations and the ledger count every row, and the last page is reachable', async () => {
    const page = await slowPage('i16-totals');
    await signedIn(page, e2e!.appUrl, FINANCE);
    for (const [resource, perPage] of [
      ['generations', 25],
      ['credit_transactions', 50],
    ] as const) {
      const total = await exactCount(`${resource}?select=id`);
      expect(total).toBeGreaterThan(5000);
      await page.goto(`${e2e!.appUrl}/#/${resource}`);
      await expect.poll(() => pager(page).innerText(), POLL).toMatch(new RegExp(`of ${total}$`));
      const last = Math.ceil(total / perPage);
      await page.goto(`${e2e!.appUrl}/#/${resource}?page=${last}&perPage=${perPage}`);
      await expect
        .poll(() => pager(page).innerText())
        .toBe(`${(last - 1) * perPage + 1}-${total} of ${total}`);
      await expect
        .poll(() => page.locator('tbody tr').count(), POLL)
        .toBe(total - (last - 1) * perPage);
    }
  }, 420_000);

  it('4. exports: the whole ledger, formula cells disarmed, people by email and name', async () => {
    // A customer whose name a spreadsheet would run as a formula.
    const id = `e2e-formula-${Date.now()}`;
    await insert('customers', {
      id,
      email: `${id}@example.com`,
      display_name: '=HYPERLINK("http://evil.example","click")',
      first_name: '@SUM(A1)',
    });
    const page = await slowPage('i16-export');
    await signedIn(page, e2e!.appUrl, FINANCE);

    const total = await exactCount('credit_transactions?select=id');
    expect(total).toBeGreaterThan(1000);
    await page.goto(`${e2e!.appUrl}/#/credit_transactions`);
    await expect.poll(() => pager(page).innerText(), POLL).toMatch(new RegExp(`of ${total}$`));
    const ledger = await download(page, () =>
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    );
    const [head, ...rows] = ledger;
    expect(head).toEqual(
      expect.arrayContaining(['id', 'customer email', 'customer name', 'when (UTC)', 'delta']),
    );
    expect(new Set(rows.map((r) => r[head.indexOf('id')])).size).toBe(total);
    const [entry] = await api.rows<{ id: number; customer_id: string }>(
      'credit_transactions?select=id,customer_id&order=id.asc&limit=1',
    );
    const customer = await api.one<{ email: string }>(
      `customers?select=email&id=eq.${entry.customer_id}`,
    );
    const row = rows.find((r) => r[head.indexOf('id')] === String(entry.id))!;
    expect(row[head.indexOf('customer email')]).toBe(customer.email);
    expect(row[head.indexOf('when (UTC)')]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    // Money: to the cent, no binary noise.
    for (const r of rows) expect(r[head.indexOf('cost (USD)')]).toMatch(/^(-?\d+(\.\d{1,2})?)?$/);

    await page.goto(`${e2e!.appUrl}/#/customers`);
    await page.getByPlaceholder(/email/i).fill(id);
    await page.getByRole('cell', { name: `${id}@example.com` }).waitFor();
    const customers = await download(page, () =>
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    );
    const [chead, crow] = customers;
    expect(crow[chead.indexOf('name')]).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(crow[chead.indexOf('first_name')]).toBe("'@SUM(A1)");
    for (const cell of crow) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  }, 420_000);

  it('5. dates: From = To = a day gives that UTC day, and times say UTC', async () => {
    const [sample] = await api.rows<{ created_at: string }>(
      'generations?select=created_at&order=created_at.desc&offset=200&limit=1',
    );
    const day = new Date(sample.created_at).toISOString().slice(0, 10);
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const expected = await exactCount(
      `generations?select=id&created_at=gte.${day}T00:00:00Z&created_at=lt.${next}T00:00:00Z`,
    );
    expect(expected).toBeGreaterThan(0);
    const page = await slowPage('i16-dates');
    await signedIn(page, e2e!.appUrl, FINANCE);
    const filter = encodeURIComponent(
      JSON.stringify({ 'created_at@gte': day, 'created_at@lte': day }),
    );
    await page.goto(`${e2e!.appUrl}/#/generations?filter=${filter}`);
    await expect.poll(() => pager(page).innerText(), POLL).toMatch(new RegExp(`of ${expected}$`));
    expect(await page.getByLabel('From (UTC)').inputValue()).toBe(day);
    const when = await page.locator('tbody tr').first().locator('time').innerText();
    expect(when).toMatch(/UTC$/);
    // The relative time sits beside the absolute one.
    expect(await page.locator('tbody tr').first().innerText()).toMatch(/ago|yesterday/);
  }, 420_000);

  it('6. laptop widths: no horizontal scroll, the toolbar in view, no overlapping times', async () => {
    const page = await slowPage('i16-widths');
    await signedIn(page, e2e!.appUrl, SUPPORT);
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 700 });
      for (const resource of [
        'customers',
        'generations',
        'credit_transactions',
        'feedback',
        'admin_audit',
      ]) {
        await page.goto(`${e2e!.appUrl}/#/${resource}`);
        await page.locator('tbody tr').first().waitFor();
        const scroll = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth - window.innerWidth,
          tables: [...document.querySelectorAll('table')].map(
            (t) => (t.parentElement?.scrollWidth ?? 0) - (t.parentElement?.clientWidth ?? 0),
          ),
        }));
        expect({ resource, width, ...scroll }).toEqual({
          resource,
          width,
          page: 0,
          tables: scroll.tables.map(() => 0),
        });
        const exportButton = page.getByRole('button', { name: 'Export', exact: true });
        const box = (await exportButton.boundingBox())!;
        expect(box.x + box.width, `${resource} at ${width}: Export in view`).toBeLessThanOrEqual(
          width,
        );
        expect(box.x).toBeGreaterThanOrEqual(0);
      }
      const [generation] = await api.rows<{ id: string }>(
        'generations?select=id&refunded_at=not.is.null&completed_at=not.is.null&limit=1',
      );
      await page.goto(`${e2e!.appUrl}/#/generations/${generation.id}/show`);
      await page.locator('time').first().waitFor();
      const overlaps = await page.evaluate(() => {
        const boxes = [...document.querySelectorAll('.RaLabeled-root')].map((e) =>
          e.getBoundingClientRect(),
        );
        const times = [...document.querySelectorAll('time')].map((t) => {
          const field = t.closest('.RaLabeled-root')?.getBoundingClientRect();
          return field ? t.getBoundingClientRect().right - field.right : 0;
        });
        let overlapping = 0;
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [boxes[i], boxes[j]];
            if (
              a.left < b.right - 1 &&
              b.left < a.right - 1 &&
              a.top < b.bottom - 1 &&
              b.top < a.bottom - 1
            )
              overlapping++;
          }
        return { overlapping, timesSpillingOut: times.filter((d) => d > 0.5).length };
      });
      expect(overlaps).toEqual({ overlapping: 0, timesSpillingOut: 0 });
    }
  }, 420_000);

  it('7. who is who: two customers of one name are told apart; audit records link and name people', async () => {
    const stamp = Date.now();
    for (const n of [1, 2])
      await insert('customers', {
        id: `e2e-sofia-${stamp}-${n}`,
        email: `sofia.k${n}.${stamp}@example.com`,
        display_name: `Sofia K${stamp}`,
      });
    const page = await slowPage('i16-who');
    await signedIn(page, e2e!.appUrl, SUPPORT);
    await page.goto(`${e2e!.appUrl}/#/credit_transactions`);
    await page.getByRole('combobox', { name: 'Customer' }).fill(`Sofia K${stamp}`);
    for (const n of [1, 2])
      await page
        .getByRole('option', { name: `Sofia K${stamp} <sofia.k${n}.${stamp}@example.com>` })
        .waitFor();

    // An audited change to a customer: the Record column names and links them.
    const [audited] = await api.rows<{ id: number; record_id: string }>(
      'admin_audit?select=id,record_id&table_name=eq.customers&order=at.desc&limit=1',
    );
    const customer = await api.one<{ email: string }>(
      `customers?select=email&id=eq.${encodeURIComponent(audited.record_id)}`,
    );
    const filter = encodeURIComponent(JSON.stringify({ record_id: audited.record_id }));
    await page.goto(`${e2e!.appUrl}/#/admin_audit?filter=${filter}`);
    const link = page.getByRole('link', { name: new RegExp(customer.email.replace('.', '\\.')) });
    await link.first().waitFor();
    expect(await link.first().getAttribute('href')).toBe(
      `#/customers/${encodeURIComponent(audited.record_id)}/show`,
    );
  }, 420_000);

  it('8. filters: provider, model and type offer the known values, whatever the case typed', async () => {
    const expected = await exactCount('generations?select=id&provider=eq.wavespeed');
    const page = await slowPage('i16-filters');
    await signedIn(page, e2e!.appUrl, FINANCE);
    await page.goto(`${e2e!.appUrl}/#/generations`);
    await page.getByRole('button', { name: /add filter/i }).click();
    await page.getByRole('menu').getByText('Provider', { exact: true }).click();
    await page.getByRole('combobox', { name: 'Provider' }).fill('WaveSpeed');
    await page.getByRole('option', { name: 'wavespeed', exact: true }).click();
    await expect.poll(() => pager(page).innerText(), POLL).toMatch(new RegExp(`of ${expected}$`));
    await page.getByRole('button', { name: /add filter/i }).click();
    await page.getByRole('menu').getByText('Type', { exact: true }).click();
    await page.getByRole('combobox', { name: 'Type' }).fill('TEXT TO IMAGE');
    await page.getByRole('option', { name: /\(text_to_image\)/ }).waitFor();
  }, 420_000);
});
