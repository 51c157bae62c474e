import type { Browser, BrowserContext } from 'playwright-core';
export const CHROMIUM: string;
export function launchChromium(): Promise<Browser>;
export function launchChromiumProfile(
  userDataDir: string,
  options?: { debuggingPort?: number; viewport?: { width: number; height: number } },
): Promise<BrowserContext>;
