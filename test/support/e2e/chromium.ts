import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from './launch-chromium.mjs';

export { CHROMIUM };
import { onTestFailed } from 'vitest';

export const chromiumMissingMessage =
  `Chromium was not found at ${CHROMIUM}. Install Debian's package: sudo apt-get install -y chromium ` +
  '(the tests never download a browser).';

/** Where failing tests leave a screenshot and the page's console log; CI prints this path. */
export const ARTEFACTS = path.resolve('test-results/e2e');
// README screenshots are refreshed on purpose (UPDATE_SCREENSHOTS=1 npm test); a normal run
// keeps its copies with the other artefacts so it leaves the work tree clean.
export const SCREENSHOTS = path.resolve(
  process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots',
);

export const launch = (): Promise<Browser> => launchChromium();

/** A fresh context and page (own storage, so own session) with its console captured. */
export async function newPage(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const page = await context.newPage();
  const log: string[] = [];
  page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`));
  page.setDefaultTimeout(15_000);
  onTestFailed(async () => {
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    const base = path.join(ARTEFACTS, name.replace(/[^a-z0-9-]+/gi, '_'));
    await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
    fs.writeFileSync(`${base}.console.log`, log.join('\n'));
    console.error(`e2e failure artefacts: ${base}.png and ${base}.console.log`);
  });
  return page;
}
