import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export type { Browser };

/** Debian's Chromium (playwright-core drives it; no browser is downloaded). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of the pages, for a person to look at (gitignored). */
export const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

/** A headless Chromium that phones nowhere home (no sync, updates or background fetches). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Aborts every request of the page outside the gateway's origin and records it: the pages must
 * work from the gateway alone (no CDN), so the returned list should stay empty.
 */
export async function sameOriginOnly(page: Page, base: string): Promise<string[]> {
  const outside: string[] = [];
  await page.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  return outside;
}
