import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, hydrated, signIn } from './fixtures';

// axe-core on every page, against the WCAG 2.0/2.1 A and AA rules. One line per page: a page
// that lands is added here. `path` may be computed (a page about an object made for the check);
// `prepare` brings a page into a state worth checking too.

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

type Check = {
  path: string | ((page: Page) => Promise<string>);
  signedIn: boolean;
  name?: string;
  prepare?: (page: Page) => Promise<void>;
};

/** Creates a room (signed in as admin) and returns its id. */
async function newRoom(page: Page): Promise<number> {
  const name = `a11y ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const response = await page.request.post('/api/rooms/create', {
    data: { fields: { name, pin: '1234', aliases: [{ alias: `${name.replace(' ', '-')}@example.com` }] } },
  });
  expect(response.status()).toBe(200);
  return response.json();
}

const PAGES: Check[] = [
  { path: '/login', signedIn: false },
  { path: '/', signedIn: true },
  { path: '/users', signedIn: true },
  { path: '/audit', signedIn: true },
  { path: '/rooms', signedIn: true },
  { path: '/rooms/new', signedIn: true },
  { path: '/rooms/new?type=lecture', signedIn: true },
  { name: '/rooms/<id>', path: async (page) => `/rooms/${await newRoom(page)}`, signedIn: true },
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
  { path: '/config', signedIn: true },
  { path: '/config/system_location', signedIn: true },
  { path: '/config/system_location/new', signedIn: true },
  { name: '/config/conference/<id>', path: async (page) => `/config/conference/${await newRoom(page)}`, signedIn: true },
];

for (const check of PAGES) {
  test(`${check.name ?? check.path} has no WCAG 2 A/AA violations`, async ({ page }) => {
    if (check.signedIn) await signIn(page, 'admin');
    const path = typeof check.path === 'string' ? check.path : await check.path(page);
    await page.goto(path);
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
