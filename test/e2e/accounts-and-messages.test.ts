// Issue 16 in Chromium: recovery and invite links land on a set-password form and a spent link
// says so (16.3); "Change password" from the user menu (16.3); a restricted page says who may
// open it (16.10); a lost connection says nothing was saved, and a refusal shows the balance
// as it is now (16.11). Few sign-ins: each test is one person's session.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage } from '../support/e2e/chromium';
import {
  DEMO,
  DEMO_PASSWORD,
  notification,
  serviceApi,
  signIn,
  signedIn,
} from '../support/e2e/app';

const e2e = inject('e2e');
let browser: Browser;

const NETWORK = 'Could not reach the server, so nothing was saved';
const SPENT_LINK = 'This link has expired or was already used';

describe.skipIf(!e2e)('accounts and messages', () => {
  const api = e2e ? serviceApi(e2e.apiUrl, e2e.serviceRoleKey) : null!;
  const headers = () => ({
    apikey: e2e!.serviceRoleKey,
    Authorization: `Bearer ${e2e!.serviceRoleKey}`,
    'Content-Type': 'application/json',
  });
  const post = (path: string, body: object) =>
    fetch(`${e2e!.apiUrl}/${path}`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify(body),
    });

  /** A support member of the test's own, so the demo logins keep their passwords. */
  async function supportMember() {
    const email = `e2e-pw-${Date.now()}@creditdesk.dev`;
    const created = await post('auth/v1/admin/users', {
      email,
      password: DEMO_PASSWORD,
      email_confirm: true,
    });
    expect(created.status).toBe(200);
    const user = (await created.json()) as { id: string };
    const staff = await post('rest/v1/staff', { user_id: user.id, email, role: 'support' });
    expect(staff.status).toBe(201);
    return email;
  }

  /** The link the local auth server "mailed" last (it sends no mail; tests read its outbox). */
  async function lastLink(email: string, type: 'recovery' | 'invite') {
    const r = await fetch(
      `${e2e!.apiUrl}/auth/v1/_dev/last-email-link?type=${type}&email=${encodeURIComponent(email)}`,
      { headers: headers() },
    );
    expect(r.status).toBe(200);
    return ((await r.json()) as { link: string }).link;
  }

  /** Whether Supabase Auth accepts this password: the API, as a second client would. */
  async function passwordWorks(email: string, password: string) {
    const r = await fetch(`${e2e!.apiUrl}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: e2e!.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return r.status === 200;
  }

  async function choosePassword(page: Page, password: string) {
    await page.getByText('Choose your password').waitFor();
    await page.getByLabel('Password *', { exact: true }).fill(password);
    await page.getByLabel('Confirm password *').fill(password);
    await page.getByRole('button', { name: 'Save' }).click();
  }

  const userMenu = (page: Page, email: string) =>
    page.getByRole('button', { name: email, exact: true });

  async function signOut(page: Page, email: string) {
    await userMenu(page, email).click();
    await page.getByRole('menuitem', { name: /logout/i }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/login'));
  }

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('16.3: recovery and invite links ask for a password, a spent link says so, and the user menu changes it', async () => {
    const email = await supportMember();
    const page = await newPage(browser, 'password-links');
    await page.goto(`${e2e!.appUrl}/#/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    // The page may render once more as the app settles after its first paint (the routes
    // are re-evaluated when the signed-out permissions arrive); type once it holds.
    const reset = page.getByRole('button', { name: 'Reset password' });
    for (let i = 0; i < 5 && !(await reset.isEnabled()); i++) {
      await page.getByLabel('Email *').fill(email);
      await page.waitForLoadState('networkidle');
    }
    await reset.click();
    const sent = await notification(page);
    expect(sent).not.toContain('ra-supabase.');
    expect(sent).toContain('a link to choose a new password is on its way');

    const link = await lastLink(email, 'recovery');
    await page.goto(link);
    await page.waitForURL((url) => url.hash.startsWith('#/set-password'));
    // The form, not the app: the link alone signs nobody in.
    await page.getByText('Choose your password').waitFor();
    expect(await page.getByRole('menuitem', { name: 'Customers' }).count()).toBe(0);
    await choosePassword(page, 'recovered-password-16');
    await page.getByRole('menuitem', { name: 'Customers' }).waitFor();
    expect(await passwordWorks(email, 'recovered-password-16')).toBe(true);
    expect(await passwordWorks(email, DEMO_PASSWORD)).toBe(false);

    // Change password from the user menu, then sign in with it.
    await userMenu(page, email).click();
    await page.getByRole('menuitem', { name: 'Change password' }).click();
    await page.getByLabel('New password *', { exact: true }).fill('changed-password-16');
    await page.getByLabel('Confirm new password *').fill('changed-password-17');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The two passwords differ').waitFor();
    await page.getByLabel('Confirm new password *').fill('changed-password-16');
    await page.getByRole('button', { name: 'Change password' }).click();
    // The snackbar may still hold the mismatch's "form is not valid": wait for this one.
    await page
      .locator('.MuiSnackbar-root')
      .getByText(/Password changed/)
      .waitFor();
    await signOut(page, email);
    await signIn(page, e2e!.appUrl, email, 'changed-password-16');
    await page.getByRole('menuitem', { name: 'Customers' }).waitFor();
    await signOut(page, email);

    // The recovery link again: spent, and the page says so and offers a new one.
    await page.goto(link);
    await page.getByText(SPENT_LINK).waitFor();
    await page.getByRole('link', { name: 'Send a new link' }).waitFor();
    expect(await passwordWorks(email, 'changed-password-16')).toBe(true);

    // An invited person's first visit: the same form, then signed in. A role is granted once
    // the address is confirmed (the database refuses it before), so the app says no access yet.
    const invited = `e2e-invited-${Date.now()}@creditdesk.dev`;
    expect((await post('auth/v1/invite', { email: invited })).status).toBe(200);
    await page.goto(await lastLink(invited, 'invite'));
    await page.waitForURL((url) => url.hash.startsWith('#/set-password'));
    await choosePassword(page, 'invited-password-16');
    await page.getByText('No access to CreditDesk').waitFor();
    expect(await passwordWorks(invited, 'invited-password-16')).toBe(true);
  });

  it('16.10 and 16.11: support meets who may open a page, an offline save, and a refusal with the fresh balance', async () => {
    const page = await newPage(browser, 'support-messages');
    await signedIn(page, e2e!.appUrl, DEMO.support);

    // A finance page opened by its address: who may open it, not "Not Found".
    await page.goto(`${e2e!.appUrl}/#/margin`);
    await page.getByText('This page is for admin and finance staff.').waitFor();
    expect(await page.getByText('Not Found').count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: 'Margin' }).count()).toBe(0);
    await page.goto(`${e2e!.appUrl}/#/runtime_config`);
    await page.getByText('This page is for admin staff.').waitFor();

    const [customer] = await api.rows<{ id: string; credits: number }>(
      'customers?select=id,credits&disabled=is.false&credits=gte.20&order=id.desc&offset=11&limit=1',
    );
    await page.goto(`${e2e!.appUrl}/#/customers/${customer.id}/show`);
    await page.getByRole('button', { name: 'Adjust credits' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Current balance: ${customer.credits}`).waitFor();
    await dialog.getByLabel(/change/i).fill('-5');
    await dialog.getByLabel('Reason *').fill('e2e: removal tried offline');

    // The connection drops under this one request (as a dropped Wi-Fi does to the fetch).
    // Not context.setOffline: coming back online makes react-query refetch the customer at a
    // moment of its choosing, which races the refusal below.
    const adjustUrl = '**/rest/v1/rpc/adjust_credits';
    await page.route(adjustUrl, (route) => route.abort('internetdisconnected'));
    await dialog.getByRole('button', { name: 'Adjust', exact: true }).click();
    await dialog.getByText(NETWORK).waitFor();
    expect(await dialog.innerText()).not.toContain('Failed to fetch');
    await page.unroute(adjustUrl);
    expect(
      (await api.one<{ credits: number }>(`customers?select=credits&id=eq.${customer.id}`)).credits,
    ).toBe(customer.credits);

    // Meanwhile the product spends all but 2 credits; the removal of 5 is refused, and the
    // dialog then shows the balance as it is now.
    const spent = await post('rest/v1/rpc/consume_credits', {
      p_customer_id: customer.id,
      p_amount: customer.credits - 2,
      p_reason: 'e2e: spent in another session',
    });
    expect(spent.status).toBe(200);
    await dialog.getByRole('button', { name: 'Adjust', exact: true }).click();
    await dialog
      .getByText(/below 0|not enough|insufficient/i)
      .first()
      .waitFor();
    await dialog.getByText('Current balance: 2').waitFor();
    await expect.poll(() => dialog.getByTestId('balance-after').innerText()).toMatch(/[-−]3\b/);
    expect(
      (await api.one<{ credits: number }>(`customers?select=credits&id=eq.${customer.id}`)).credits,
    ).toBe(2);
  });
});
