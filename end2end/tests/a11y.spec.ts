import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, hydrated, signIn } from './fixtures';

// axe-core on every page, against the WCAG 2.0/2.1 A and AA rules. One line per page: a page
// that lands is added here. `prepare` brings a page into a state worth checking too.

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

type Check = { path: string; signedIn: boolean; name?: string; prepare?: (page: Page) => Promise<void> };

const PAGES: Check[] = [
  { path: '/login', signedIn: false },
  { path: '/', signedIn: true },
  { path: '/users', signedIn: true },
  { path: '/audit', signedIn: true },
  { path: '/rooms', signedIn: true },
  { path: '/rooms/import', signedIn: true },
  {
    path: '/rooms/import',
    name: '/rooms/import with a checked file',
    signedIn: true,
    prepare: async (page) => {
      await page.locator('#import-text').fill('name,pin\na11y room,1234\na11y bad,12ab\n');
      await page.locator('#import-check').click();
      await expect(page.locator('#import-summary')).toBeVisible();
    },
  },
  { path: '/live', signedIn: true },
  { path: '/history', signedIn: true },
  { path: '/backups', signedIn: true },
  { path: '/licences', signedIn: true },
];

for (const check of PAGES) {
  test(`${check.name ?? check.path} has no WCAG 2 A/AA violations`, async ({ page }) => {
    if (check.signedIn) {
      await signIn(page, 'admin', undefined, check.path);
    } else {
      await page.goto(check.path);
    }
    await hydrated(page);
    if (check.prepare) await check.prepare(page);
    const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    expect(results.passes.length, 'axe checked the page').toBeGreaterThan(10);
    const violations = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(violations).toEqual([]);
  });
}
