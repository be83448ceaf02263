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
  /** Made as admin: another account to check the page as (username, password). */
  as?: (page: Page) => Promise<[string, string]>;
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

/** An end user owning a room with a PIN, guests and two aliases (made as admin). */
async function endUser(page: Page): Promise<[string, string]> {
  const user = `a11y-user-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const email = `${user}@example.com`;
  const created = await page.request.post('/api/users/create', {
    form: { username: user, password: `${user}-password`, role: 'user', tenant_id: '', email },
  });
  expect(created.status()).toBe(200);
  const response = await page.request.post('/api/rooms/create', {
    data: { fields: { name: `Room of ${user}`, description: 'For the axe check', pin: '1234', allow_guests: true, guest_pin: '5678', primary_owner_email_address: email, aliases: [{ alias: `${user}@example.com` }, { alias: `sip:${user}@example.com` }] } },
  });
  expect(response.status()).toBe(200);
  return [user, `${user}-password`];
}

const PAGES: Check[] = [
  { path: '/login', signedIn: false },
  { path: '/', signedIn: true },
  { path: '/users', signedIn: true },
  { path: '/audit', signedIn: true },
  { path: '/rooms', signedIn: true },
  {
    path: '/rooms',
    name: '/rooms as an end user (room cards, after copying and sending the email)',
    signedIn: true,
    as: endUser,
    prepare: async (page) => {
      // The copied state (the clipboard itself is the cards spec's).
      await page.evaluate(() => {
        Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.resolve() });
      });
      await page.getByRole('button', { name: 'Copy the join link' }).click();
      await expect(page.getByRole('button', { name: 'Copied the join link' })).toBeVisible();
      await page.getByRole('button', { name: 'Email me my room details' }).click();
      await expect(page.locator('[data-email-status] [role="status"]')).toBeVisible({ timeout: 20_000 });
      await page.getByLabel('Include the host PIN').check();
    },
  },
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
  { path: '/status', signedIn: true },
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
    if (check.as) {
      const [username, password] = await check.as(page);
      await page.context().clearCookies();
      await signIn(page, username, password);
    }
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
