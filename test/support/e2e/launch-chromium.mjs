// Debian's Chromium, headless, the one way the e2e tests and the browser benches start a
// browser. Never a browser download: playwright-core drives the system package.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The background-networking flags keep Chromium from calling home on a closed network.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * The same browser on a profile kept in `userDataDir`, with a DevTools port for tools that
 * drive it themselves (Lighthouse): what a page stores there, a session, is theirs too.
 */
export function launchChromiumProfile(userDataDir, { debuggingPort, viewport } = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: debuggingPort ? [...ARGS, `--remote-debugging-port=${debuggingPort}`] : ARGS,
  });
}
