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

/**
 * A new page (zh-CN, of this size) for a page test: it records the page's script errors in
 * `pageErrors` and aborts every request outside `base` into `outside` (`sameOriginOnly`); both
 * lists should stay empty.
 */
export async function watchedPage(browser: Browser, base: string, viewport: { width: number; height: number }): Promise<{ page: Page; pageErrors: string[]; outside: string[] }> {
  const page = await browser.newPage({ viewport, locale: 'zh-CN' });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const outside = await sameOriginOnly(page, base);
  return { page, pageErrors, outside };
}

/** Signs in on a page of the admin site (or the IDE's token box): the token, then the sign-in button. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.fill('#token', token);
  await page.click('#signin button[type=submit]');
}
