// WCAG 2.1 A/AA (axe-core's wcag2a, wcag2aa, wcag21a, wcag21aa rules) on every page each role
// can open, in the light and the dark theme, with the main dialogs and the user menu open; and
// no page logs a console error. Each role and theme signs in once and walks its pages by hash
// navigation (no reload), so every page is audited once per role and theme.
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launch, newPage } from '../support/e2e/chromium';
import { revealCharts, serviceApi, signIn, signedIn } from '../support/e2e/app';

const e2e = inject('e2e');
let browser: Browser;

type Theme = 'light' | 'dark';
type Role = 'admin' | 'support' | 'finance';

/** One thing to audit on a page: its state after `open` (a dialog, a menu, a selection). */
interface Step {
  name: string;
  /** Brings the page into the state to audit; returns what must be visible then. */
  open: (page: Page) => Promise<Locator>;
  /** Back to the page's plain state (Escape by default). */
  close?: (page: Page) => Promise<void>;
}
interface Screen {
  path: string;
  roles: Role[];
  /** What shows once the page has its data. */
  ready: (page: Page) => Locator;
  steps?: Step[];
}

const staff: Role[] = ['admin', 'support', 'finance'];
const writers: Role[] = ['admin', 'support'];
const table = (page: Page) => page.locator('#main-content table tbody tr').first();
const NAMES: Record<Role, string> = {
  admin: 'Ada Admin',
  support: 'Sam Support',
  finance: 'Fin Finance',
};
const button = (name: string | RegExp) => (page: Page) =>
  page.getByRole('button', { name, exact: typeof name === 'string' }).first();

function dialogStep(name: string, trigger: string | RegExp): Step {
  return {
    name: `${name} dialog`,
    open: async (page) => {
      await button(trigger)(page).click();
      return page.getByRole('dialog').first();
    },
  };
}

// Loaders that mean "not drawn yet": audited then, axe would see half a page.
const LOADING =
  '.MuiSkeleton-root, .MuiLinearProgress-root, .MuiCircularProgress-root, [aria-busy="true"]';

async function settled(page: Page, ready: Locator) {
  await ready.waitFor();
  // Only loaders in what is audited for this state: the top bar's spinner turns while any
  // background refetch runs (react-admin refetches on every page), which on a busy machine
  // can be all the time without anything on the page being unfinished.
  await page.waitForFunction(
    (sel) => ![...document.querySelectorAll(sel)].some((el) => !el.closest('header')),
    LOADING,
  );
  // MUI's transitions (dialogs, menus) fade in: audit the final colours, not a fading frame.
  // Endless animations (spinners, skeleton pulses) are loaders, handled above.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every(
        (a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity,
      ),
  );
}

interface Violation {
  rule: string;
  impact: string;
  where: string;
  targets: string[];
  summary: string;
}

async function audit(page: Page, where: string): Promise<Violation[]> {
  const results = await new AxeBuilder({ page })
    // WCAG 2.5.3 (label in name) is "experimental" in axe and off unless asked for: the
    // user-menu button said "Profile" while it showed the user's name.
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? '',
    where,
    targets: v.nodes.map((n) => n.target.join(' ')),
    summary: v.nodes[0]?.failureSummary?.split('\n').slice(0, 2).join(' ') ?? v.help,
  }));
}

function describeViolations(violations: Violation[]) {
  return violations
    .map(
      (v) =>
        `${v.where}: ${v.rule} (${v.impact}) on ${v.targets.length} element(s): ${v.targets
          .slice(0, 5)
          .join(' | ')}\n    ${v.summary}`,
    )
    .join('\n');
}

/** Console errors and uncaught exceptions of a page, tagged with where it was. */
function consoleErrors(page: Page) {
  const errors: string[] = [];
  let where = 'sign-in';
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${where}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${where}: uncaught ${e.message}`));
  return { errors, at: (w: string) => void (where = w) };
}

async function themed(theme: Theme, name: string) {
  const page = await newPage(browser, name);
  // Pages of 50 rows on a busy 2-core machine: more than newPage's 15 s to draw at times.
  page.setDefaultTimeout(30_000);
  // react-admin keeps the chosen theme in its store (localStorage), read at start-up.
  await page
    .context()
    .addInitScript((t) => localStorage.setItem('RaStore.theme', JSON.stringify(t)), theme);
  return page;
}

describe.skipIf(!e2e)('accessibility (axe, WCAG 2.1 AA) and console errors', () => {
  const api = e2e ? serviceApi(e2e.apiUrl, e2e.serviceRoleKey) : null!;
  let screens: Screen[];

  beforeAll(async () => {
    browser = await launch();
    const [customer] = await api.rows<{ id: string }>('customers?select=id&order=id&limit=1');
    // A customer holding credits that expire, so its blocks tab offers Extend expiry.
    const [expiring] = await api.rows<{ customer_id: string }>(
      `credit_blocks?select=customer_id&remaining=gt.0&expires_at=gt.${new Date(Date.now() + 86_400_000).toISOString()}&order=customer_id&limit=1`,
    );
    const [failed] = await api.rows<{ id: string }>(
      'generations?select=id&status=eq.failed&refunded_at=is.null&credits_charged=gt.0&limit=1',
    );
    const [feedback] = await api.rows<{ id: string }>('feedback?select=id&limit=1');
    const [entry] = await api.rows<{ id: string }>('admin_audit?select=id&limit=1');
    const [runtime] = await api.rows<{ key: string }>('runtime_config?select=key&limit=1');
    const [app] = await api.rows<{ key: string }>('app_config?select=key&limit=1');
    const [type] = await api.rows<{ type_key: string }>('generation_types?select=type_key&limit=1');
    const heading = (text: RegExp) => (page: Page) => page.getByText(text).first();
    const form = (page: Page) => page.locator('#main-content form').first();
    screens = [
      {
        path: '/',
        roles: staff,
        ready: (p) => p.getByRole('group', { name: /generations/i }).first(),
        steps: [
          {
            // Charts are drawn as they scroll into view: audit them drawn.
            name: 'its charts scrolled into view',
            open: async (page) => {
              await revealCharts(page, 4);
              return page.locator('.recharts-surface').nth(3);
            },
            close: async (page) => {
              await page.evaluate(() => window.scrollTo(0, 0));
            },
          },
        ],
      },
      {
        path: '/spend',
        roles: ['admin', 'finance'],
        ready: (p) => p.locator('.recharts-surface').first(),
      },
      {
        // The Margin page with its KPIs, the daily chart drawn and the provider/model table.
        path: '/margin',
        roles: ['admin', 'finance'],
        ready: (p) =>
          p
            .getByRole('table', { name: 'Margin by provider and model' })
            .locator('tbody tr')
            .first(),
      },
      { path: '/customers', roles: staff, ready: table },
      {
        path: `/customers/${customer.id}/show`,
        roles: staff,
        ready: heading(/balance/i),
      },
      {
        // The credit blocks tab, with every credit dialog of the page open in turn.
        path: `/customers/${expiring.customer_id}/show/blocks`,
        roles: writers,
        ready: button(/^Extend expiry of block/),
        steps: [
          dialogStep('adjust credits', 'Adjust credits'),
          dialogStep('grant credits', 'Grant credits'),
          dialogStep('extend expiry', /^Extend expiry of block/),
          dialogStep('disable', /^(Disable|Enable)$/),
        ],
      },
      { path: `/customers/${customer.id}`, roles: writers, ready: form },
      { path: '/generations', roles: staff, ready: table },
      {
        path: `/generations/${failed.id}/show`,
        roles: staff,
        ready: heading(/failed/i),
      },
      {
        path: `/generations/${failed.id}/show`,
        roles: writers,
        ready: button('Refund'),
        steps: [dialogStep('refund', 'Refund')],
      },
      { path: '/feedback', roles: ['finance'], ready: table },
      {
        path: '/feedback',
        roles: writers,
        ready: table,
        steps: [
          {
            // The row checkboxes, and the bulk toolbar with its status buttons once one is
            // ticked (feedback is triaged in bulk, never deleted).
            name: 'a row selected',
            open: async (page) => {
              await page.locator('#main-content tbody input[type=checkbox]').first().check();
              return page.getByRole('button', { name: 'Mark reviewed' }).first();
            },
            close: async (page) => {
              await page.locator('#main-content tbody input[type=checkbox]').first().uncheck();
            },
          },
        ],
      },
      { path: `/feedback/${feedback.id}/show`, roles: staff, ready: heading(/status/i) },
      { path: `/feedback/${feedback.id}`, roles: writers, ready: form },
      { path: '/credit_transactions', roles: staff, ready: table },
      { path: '/admin_audit', roles: staff, ready: table },
      { path: `/admin_audit/${entry.id}/show`, roles: staff, ready: heading(/action/i) },
      { path: '/generation_types', roles: ['admin'], ready: table },
      {
        path: `/generation_types/${type.type_key}`,
        roles: ['admin'],
        ready: form,
        steps: [dialogStep('change price', 'Change price')],
      },
      { path: '/generation_types/create', roles: ['admin'], ready: form },
      { path: '/runtime_config', roles: ['admin'], ready: table },
      {
        path: `/runtime_config/${encodeURIComponent(runtime.key)}`,
        roles: ['admin'],
        ready: heading(/version \d+/),
      },
      { path: '/runtime_config/create', roles: ['admin'], ready: form },
      { path: '/app_config', roles: ['admin'], ready: table },
      {
        path: `/app_config/${encodeURIComponent(app.key)}`,
        roles: ['admin'],
        ready: heading(/version \d+/),
      },
      {
        path: '/staff',
        roles: ['admin'],
        ready: table,
        steps: [
          dialogStep('add staff member', 'Add staff member'),
          dialogStep('disable staff member', 'Disable'),
          {
            // Another role in a row's dropdown asks for a reason first (Escape saves nothing).
            name: 'change role dialog',
            open: async (page) => {
              await page
                .getByRole('combobox', { name: /^Role of / })
                .first()
                .click();
              await page.getByRole('option', { name: 'Finance' }).click();
              return page.getByRole('dialog').first();
            },
          },
        ],
      },
      { path: '/admin_sessions', roles: ['admin'], ready: table },
      // The user menu's change-password page, and a page support may not open, reached by
      // its address: the sentence saying who may open it.
      { path: '/change-password', roles: ['support'], ready: form },
      { path: '/margin', roles: ['support'], ready: heading(/this page is for/i) },
      {
        path: '/database-health',
        roles: ['admin'],
        ready: (p) => p.locator('#main-content table').first(),
      },
    ];
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Walks every screen of `role` in `theme`; returns the violations and console errors. */
  async function walk(role: Role, theme: Theme) {
    const page = await themed(theme, `a11y-${role}-${theme}`);
    const log = consoleErrors(page);
    await signedIn(page, e2e!.appUrl, `${role}@creditdesk.dev`);
    const violations: Violation[] = [];
    // A screen that does not come up is reported with the others, and the walk goes on.
    const broken: string[] = [];
    let first = true;
    for (const screen of screens.filter((s) => s.roles.includes(role))) {
      const where = `${role}, ${theme}, #${screen.path}`;
      log.at(where);
      // Which state of the screen was being brought up, for the report if it never comes.
      let stage = 'its data';
      try {
        await page.goto(`${e2e!.appUrl}/#${screen.path}`);
        await settled(page, screen.ready(page));
        violations.push(...(await audit(page, where)));
        if (first) {
          // The top bar's user menu, open, once per role and theme.
          first = false;
          stage = 'the user menu';
          // Its button is named by the name it shows (WCAG 2.5.3), not "Profile".
          await page.getByRole('button', { name: NAMES[role], exact: true }).click();
          // react-admin's user menu is #menu-appbar (the sidebar is a menu too).
          const userMenu = page.locator('#menu-appbar [role=menu]');
          await settled(page, userMenu);
          violations.push(...(await audit(page, `${where} with the user menu open`)));
          await page.keyboard.press('Escape');
          await userMenu.waitFor({ state: 'detached' });
        }
        for (const step of screen.steps ?? []) {
          stage = step.name;
          await settled(page, await step.open(page));
          violations.push(...(await audit(page, `${where} with ${step.name}`)));
          if (step.close) await step.close(page);
          else {
            await page.keyboard.press('Escape');
            await page.getByRole('dialog').waitFor({ state: 'detached' });
          }
        }
      } catch (e) {
        // What the page showed instead (an empty list, an error) says why it never came.
        const shown = await page
          .locator('#main-content')
          .innerText({ timeout: 1_000 })
          .catch(() => '(no #main-content)');
        broken.push(
          `${where}, waiting for ${stage}: ${(e as Error).message.split('\n')[0]}; the page showed: ${shown.replace(/\s+/g, ' ').slice(0, 200)}`,
        );
      }
    }
    await page.context().close();
    // Printed as soon as the walk ends, so a long run shows what it found as it goes.
    if (violations.length || log.errors.length || broken.length)
      console.error([describeViolations(violations), ...log.errors, ...broken].join('\n'));
    return { violations, errors: log.errors, broken };
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`the sign-in page and the no-access page (${theme})`, async () => {
      const page = await themed(theme, `a11y-login-${theme}`);
      const log = consoleErrors(page);
      await page.goto(`${e2e!.appUrl}/#/login`);
      await settled(page, page.locator('input[name=password]'));
      const violations = await audit(page, `signed out, ${theme}, #/login`);
      // The product's name and mark are on the card, and the tab has its icon.
      await page.getByRole('heading', { name: 'CreditDesk', level: 1 }).waitFor();
      const icon = await page.locator('link[rel=icon]').getAttribute('href');
      expect((await page.request.get(`${e2e!.appUrl}${icon}`)).status()).toBe(200);

      // Where recovery links land: the form, the spent-link answer, and asking for a new one.
      for (const [path, ready] of [
        ['/set-password?access_token=a&refresh_token=b&type=recovery', 'input[name=password]'],
        ['/set-password?error_code=otp_expired', 'text=/expired or was already used/i'],
        ['/forgot-password', 'input[name=email]'],
      ] as const) {
        log.at(`signed out, ${theme}, #${path}`);
        await page.goto(`${e2e!.appUrl}/#${path}`);
        await settled(page, page.locator(ready).first());
        violations.push(...(await audit(page, `signed out, ${theme}, #${path}`)));
      }

      log.at(`customer, ${theme}, no-access page`);
      await signIn(page, e2e!.appUrl, 'customer@creditdesk.dev');
      await settled(page, page.getByText(/no access to creditdesk/i));
      violations.push(...(await audit(page, `customer (not staff), ${theme}, no-access page`)));
      await page.context().close();
      expect(describeViolations(violations)).toBe('');
      expect(log.errors).toEqual([]);
    });

    for (const role of staff) {
      // Up to ~30 pages and dialogs, each loaded and audited: minutes on a busy 2-core machine.
      it(`every page of ${role} (${theme})`, { timeout: 600_000 }, async () => {
        const { violations, errors, broken } = await walk(role, theme);
        expect({ violations: describeViolations(violations), errors, broken }).toEqual({
          violations: '',
          errors: [],
          broken: [],
        });
      });
    }
  }
});
