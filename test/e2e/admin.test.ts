// The admin's work in Chromium: a runtime config edit with its history, the stale second
// tab refused with the conflict message, a price change, another role for a staff member, a
// disabled account and its removal, each asked for a reason that the audit trail then shows
// (issue 16.9), and an admin session closed without signing out listed as expired (16.13).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { decodeJwt, SignJWT } from 'jose';
import { JWT_SECRET } from '../../supabase/local/keys.mjs';
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

  /** A staff member of the test's own, so the demo logins keep their roles for other files. */
  async function newStaffMember(role: string) {
    const email = `e2e-staff-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@creditdesk.dev`;
    const headers = {
      apikey: e2e!.serviceRoleKey,
      Authorization: `Bearer ${e2e!.serviceRoleKey}`,
      'Content-Type': 'application/json',
    };
    const created = (await fetch(`${e2e!.apiUrl}/auth/v1/admin/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, password: DEMO_PASSWORD, email_confirm: true }),
    }).then((r) => r.json())) as { id: string };
    const staffRes = await fetch(`${e2e!.apiUrl}/rest/v1/staff`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ user_id: created.id, email, role }),
    });
    expect(staffRes.status).toBe(201);
    return { id: created.id, email };
  }

  /** The audit entry of the latest change of a record, opened in the app: it shows the reason. */
  async function auditShowsReason(page: Page, recordId: string, action: string, reason: string) {
    const entry = await api.one<{ id: number; details: { reason?: string } }>(
      `admin_audit?select=id,details&record_id=eq.${encodeURIComponent(recordId)}&action=eq.${action}&order=id.desc&limit=1`,
    );
    expect(entry.details.reason).toBe(reason);
    await page.goto(`${e2e!.appUrl}/#/admin_audit/${entry.id}/show`);
    await page.getByText(reason).first().waitFor();
  }

  it('changes a generation price only with a reason, and the audit trail shows it', async () => {
    const price = async () =>
      (
        await api.one<{ cost_credits: number }>(
          'generation_types?select=cost_credits&type_key=eq.upscale',
        )
      ).cost_credits;
    const before = await price();
    const page = await newPage(browser, 'admin-price');
    await signedIn(page, e2e!.appUrl, DEMO.admin);
    await page.goto(`${e2e!.appUrl}/#/generation_types/upscale`);
    // The form has no price input any more: the price has its own dialog.
    await page.getByRole('button', { name: 'Change price' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New price (credits)').fill(String(before + 1));
    await dialog.getByRole('button', { name: 'Change price' }).click();
    await dialog.getByText('A reason is required.').waitFor();
    expect(await price()).toBe(before);

    const reason = `Provider rate up, ticket ${Date.now()}`;
    await dialog.getByLabel('Reason').fill(reason);
    await dialog.getByRole('button', { name: 'Change price' }).click();
    expect(await notification(page)).toContain(`now costs ${before + 1} credits`);
    await expect.poll(price).toBe(before + 1);
    await auditShowsReason(page, 'upscale', 'generation_types.update', reason);
  });

  it('changes a staff role, disables and removes the account, each only after a reason; the audit shows them', async () => {
    const member = await newStaffMember('finance');
    const row = async () =>
      api.one<{ role: string; disabled: boolean }>(
        `staff?select=role,disabled&user_id=eq.${member.id}`,
      );
    const page = await newPage(browser, 'admin-staff-role');
    await signedIn(page, e2e!.appUrl, DEMO.admin);
    await page.goto(`${e2e!.appUrl}/#/staff`);

    // Choosing a role in the dropdown only opens the dialog; nothing is saved yet.
    await page.getByRole('combobox', { name: `Role of ${member.email}` }).click();
    await page.getByRole('option', { name: /support/i }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await dialog.getByText('A reason is required.').waitFor();
    expect(await row()).toEqual({ role: 'finance', disabled: false });
    const roleReason = `Covers support, ticket ${Date.now()}`;
    await dialog.getByLabel('Reason').fill(roleReason);
    await dialog.getByRole('button', { name: 'Change role' }).click();
    expect(await notification(page)).toContain(`${member.email} is now support`);
    expect(await row()).toEqual({ role: 'support', disabled: false });

    const tableRow = page.getByRole('row').filter({ hasText: member.email });
    await tableRow.getByRole('button', { name: 'Disable' }).click();
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await dialog.getByText('A reason is required.').waitFor();
    expect((await row()).disabled).toBe(false);
    const disableReason = `Left the company, ticket ${Date.now()}`;
    await dialog.getByLabel('Reason').fill(disableReason);
    await dialog.getByRole('button', { name: 'Disable' }).click();
    expect(await notification(page)).toContain(`${member.email} is disabled`);
    expect(await row()).toEqual({ role: 'support', disabled: true });
    await tableRow.getByRole('button', { name: 'Re-enable' }).waitFor();

    await auditShowsReason(page, member.id, 'staff.update', disableReason);
    const entries = await api.rows<{ details: { reason?: string } }>(
      `admin_audit?select=details&record_id=eq.${member.id}&action=eq.staff.update&order=id`,
    );
    expect(entries.map((e) => e.details.reason)).toEqual([roleReason, disableReason]);

    // Removing the member asks a reason too, and takes the row away.
    await page.goto(`${e2e!.appUrl}/#/staff`);
    await tableRow.getByRole('button', { name: 'Remove' }).click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await dialog.getByText('A reason is required.').waitFor();
    expect(await row()).toEqual({ role: 'support', disabled: true });
    const removeReason = `Contract ended, ticket ${Date.now()}`;
    await dialog.getByLabel('Reason').fill(removeReason);
    await dialog.getByRole('button', { name: 'Remove' }).click();
    expect(await notification(page)).toContain(`${member.email} is no longer a staff member`);
    await tableRow.waitFor({ state: 'detached' });
    expect(await api.rows(`staff?select=user_id&user_id=eq.${member.id}`)).toEqual([]);
    await auditShowsReason(page, member.id, 'staff.delete', removeReason);
  });

  it('lists an admin session closed without signing out as expired', async () => {
    // A sign-in whose last heartbeat carried a token that expires in a second: the tab was
    // closed and nothing signed it out. The token is the stand-in's own, re-signed with a
    // short exp (the stack uses the Supabase CLI's well-known local JWT secret).
    const member = await newStaffMember('support');
    const signIn = (await fetch(`${e2e!.apiUrl}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: e2e!.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: member.email, password: DEMO_PASSWORD }),
    }).then((r) => r.json())) as { access_token: string };
    const exp = Math.floor(Date.now() / 1000) + 1;
    const shortLived = await new SignJWT({ ...decodeJwt(signIn.access_token), exp })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(JWT_SECRET));
    const touch = await fetch(`${e2e!.apiUrl}/rest/v1/rpc/touch_admin_session`, {
      method: 'POST',
      headers: {
        apikey: e2e!.anonKey,
        Authorization: `Bearer ${shortLived}`,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(touch.status).toBe(200);
    // Past the token's expiry; no assertion on how long anything took.
    while (Date.now() <= exp * 1000) await new Promise((resolve) => setTimeout(resolve, 100));

    const page = await newPage(browser, 'admin-sessions');
    await signedIn(page, e2e!.appUrl, DEMO.admin);
    const filter = (f: object) => encodeURIComponent(JSON.stringify(f));
    await page.goto(
      `${e2e!.appUrl}/#/admin_sessions?filter=${filter({ 'email@ilike': member.email })}`,
    );
    const sessionRow = page.getByRole('row').filter({ hasText: member.email });
    await sessionRow.getByText('expired', { exact: true }).waitFor();
    // The admin's own session, just signed in, is open; "Open sessions only" leaves the expired one out.
    await page.goto(
      `${e2e!.appUrl}/#/admin_sessions?filter=${filter({ 'email@ilike': DEMO.admin, open: true })}`,
    );
    await page
      .getByRole('row')
      .filter({ hasText: DEMO.admin })
      .getByText('open', { exact: true })
      .first()
      .waitFor();
    await page.goto(
      `${e2e!.appUrl}/#/admin_sessions?filter=${filter({ 'email@ilike': member.email, open: true })}`,
    );
    await page
      .getByText(/no results|no admin sessions/i)
      .first()
      .waitFor();

    // Signing out from the user menu ends the admin's own session (shown open above): the
    // logout ends it in the database before it drops the token.
    const openSessions = async () =>
      (
        await api.rows(
          `admin_sessions?select=id&email=eq.${encodeURIComponent(DEMO.admin)}&ended_at=is.null`,
        )
      ).length;
    const before = await openSessions();
    expect(before).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Ada Admin', exact: true }).click();
    await page.getByRole('menuitem', { name: /logout/i }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/login'));
    expect(await openSessions()).toBe(before - 1);
  });
});
