// The build's preload script (vite.config.ts, preloadSignedInChunks): with a Supabase session
// in the browser, index.html asks for the signed-in first screen's chunks at once; signed out it
// asks for nothing more than the entry's own imports. Nothing else notices if the script
// breaks (a renamed module, a changed storage key): the app still works, only slower.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage } from '../support/e2e/chromium';
import { DEMO, signedIn } from '../support/e2e/app';

const e2e = inject('e2e');
let browser: Browser;

/** The chunk names (hash and folder dropped) index.html asked to preload on this load. */
const preloaded = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLLinkElement>('link[rel=modulepreload]')].map((l) =>
      new URL(l.href).pathname.replace(/^.*\//, '').replace(/-[\w-]{8}\.js$/, ''),
    ),
  );

describe.skipIf(!e2e)('chunks preloaded for a signed-in first screen', () => {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('asks for the route page and its data provider only with a session', async () => {
    const page = await newPage(browser, 'signed-in-preload');
    await page.goto(`${e2e!.appUrl}/#/login`);
    const signedOut = await preloaded(page);
    expect(signedOut).not.toContain('Dashboard');
    expect(signedOut).not.toContain('dataProvider');

    await signedIn(page, e2e!.appUrl, DEMO.support);
    await page.reload();
    const dashboard = await preloaded(page);
    expect(dashboard).toEqual(expect.arrayContaining([...signedOut, 'dataProvider', 'Dashboard']));
    expect(dashboard).not.toContain('CustomerList');

    await page.goto(`${e2e!.appUrl}/#/customers`);
    await page.reload();
    const customers = await preloaded(page);
    expect(customers).toEqual(expect.arrayContaining(['dataProvider', 'CustomerList']));
    expect(customers).not.toContain('Dashboard');

    // Every preloaded file exists (no stale name in the script).
    const hrefs = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLLinkElement>('link[rel=modulepreload]')].map((l) => l.href),
    );
    for (const href of hrefs) expect((await page.request.get(href)).status(), href).toBe(200);
    await page.context().close();
  });
});
