import { test, expect, hydrated, signIn } from './fixtures';
import type { Page } from '@playwright/test';

// The live view against the demo deployment: calls in progress, dialling out, muting and
// disconnecting, media quality; what a helpdesk account and a tenant admin may do there; and the
// push: changes show in every open page without a reload, through the live feed's stream.
test.describe.configure({ mode: 'serial' });

const HELPDESK = 'live-helpdesk';
const HELPDESK_PASSWORD = 'live-helpdesk-password';

/** Places a call into the IT helpdesk bridge from London and waits for it to show. */
async function dialIn(page: Page, name: string) {
  await page.getByLabel('Conference alias').fill('helpdesk@example.com');
  await page.getByLabel('Destination').fill(`sip:${name.toLowerCase().replace(/ /g, '.')}@example.com`);
  await page.getByLabel('Display name (optional)').fill(name);
  await page.getByLabel('From location').selectOption('London');
  await page.getByRole('button', { name: 'Dial', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Call placed.' })).toBeVisible();
  const row = page.locator('tr', { hasText: name });
  await expect(row).toBeVisible();
  return row;
}

test('an admin dials a participant in, mutes, unmutes and disconnects them', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await signIn(page, 'admin', undefined, '/live');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Live');
  await hydrated(page);
  // The demo has calls in progress from the start.
  await expect(page.locator('#live-summary')).toHaveText(/[1-9]\d* conferences, [1-9]\d* calls/);

  const name = `E2E Caller ${Date.now() % 100000}`;
  const row = await dialIn(page, name);
  await expect(row.locator('[data-participant-state]')).toHaveText('connected');

  await page.getByRole('button', { name: `Mute ${name}` }).click();
  await expect(row.locator('[data-participant-state]')).toHaveText('muted');
  await page.getByRole('button', { name: `Unmute ${name}` }).click();
  await expect(row.locator('[data-participant-state]')).toHaveText('connected');

  // Media quality of the call, drawn as bars with the figures in words.
  await page.getByRole('button', { name: `Media quality of ${name}` }).click();
  const media = page.getByRole('region', { name: `Media quality: ${name}` });
  await expect(media.getByRole('list', { name: 'Media quality' })).toContainText('audio received');
  await expect(media.getByRole('img').first()).toHaveAttribute('aria-label', /packet loss/);
  await media.getByRole('button', { name: 'Close' }).click();

  // Disconnecting asks first; cancelling keeps the call.
  await page.getByRole('button', { name: `Disconnect ${name}` }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toBeVisible();
  await page.getByRole('button', { name: `Disconnect ${name}` }).click();
  await page.getByRole('button', { name: 'Yes, disconnect' }).click();
  await expect(page.locator('tr', { hasText: name })).toHaveCount(0);

});

/** Waits until the page follows the live feed's stream. */
async function live(page: Page) {
  await hydrated(page);
  await expect(page.locator('#feed-link')).toContainText('Live');
}

/** Dials `name` into the conference at `alias` through the portal's API (as the page's account). */
async function dialByApi(page: Page, alias: string, name: string) {
  const response = await page.request.post('/api/live/dial', {
    form: {
      conference_alias: alias,
      destination: `sip:${name.toLowerCase().replace(/ /g, '.')}@example.com`,
      role: 'guest',
      protocol: 'sip',
      system_location: 'London',
      remote_display_name: name,
    },
  });
  expect(response.status()).toBe(200);
}

test('a call that joins shows up within 2 s without a reload, and a lock shows in every browser', async ({ page, browser, consoleErrors }) => {
  void consoleErrors;
  await signIn(page, 'admin', undefined, '/live');
  await live(page);
  const other = await browser.newContext({ storageState: await page.context().storageState() });
  const second = await other.newPage();
  await second.goto('/live');
  await live(second);

  // Someone joins (placed from the second browser's session): both pages show them, no reload.
  const name = `Pushed Caller ${Date.now() % 100000}`;
  let navigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });
  await dialByApi(second, 'helpdesk@example.com', name);
  await expect(page.locator('tr', { hasText: name })).toBeVisible({ timeout: 2_000 });
  await expect(second.locator('tr', { hasText: name })).toBeVisible({ timeout: 2_000 });
  expect(navigations, 'the page was not reloaded').toBe(0);

  // A lock from one browser shows in the other; the button keeps focus through the update.
  const bridge = (p: Page) => p.locator('article[data-conference="IT helpdesk bridge"]');
  const lock = bridge(page).getByRole('button', { name: 'Lock', exact: true });
  await lock.focus();
  await lock.click();
  await expect(bridge(second).getByText('locked', { exact: true })).toBeVisible({ timeout: 2_000 });
  await expect(bridge(page).getByRole('button', { name: 'Unlock', exact: true })).toBeFocused();
  await bridge(second).getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(bridge(page).getByText('locked', { exact: true })).toHaveCount(0, { timeout: 2_000 });

  // Clean up the call (its row goes away through the push too).
  await page.getByRole('button', { name: `Disconnect ${name}` }).click();
  await page.getByRole('button', { name: 'Yes, disconnect' }).click();
  await expect(second.locator('tr', { hasText: name })).toHaveCount(0, { timeout: 2_000 });
  await other.close();
});

test('a tenant admin sees their tenant\'s calls, read-only, and never another tenant\'s', async ({ page, browser }) => {
  await signIn(page, 'admin', undefined, '/live');
  await live(page);
  const tenant = await browser.newContext();
  const acme = await tenant.newPage();
  await signIn(acme, 'demo-acme-admin', 'demo-password', '/live');
  await live(acme);

  const stamp = Date.now() % 100000;
  await dialByApi(page, 'ops@globex.example', `Globex Caller ${stamp}`);
  await dialByApi(page, 'phoenix@acme.example', `Acme Caller ${stamp}`);
  // The acme call arrives after the globex one: once it shows, the globex one has been sent.
  await expect(acme.locator('tr', { hasText: `Acme Caller ${stamp}` })).toBeVisible({ timeout: 2_000 });
  await expect(page.locator('tr', { hasText: `Globex Caller ${stamp}` })).toBeVisible();
  await expect(acme.locator('tr', { hasText: `Globex Caller ${stamp}` })).toHaveCount(0);
  await expect(acme.locator('article[data-conference^="Globex"]')).toHaveCount(0);
  // Watching only (the policy's default for tenant admins): no call control, no dial-out.
  await expect(acme.getByRole('button', { name: `Mute Acme Caller ${stamp}` })).toHaveCount(0);
  await expect(acme.getByRole('heading', { name: 'Dial out' })).toHaveCount(0);

  for (const who of [`Globex Caller ${stamp}`, `Acme Caller ${stamp}`]) {
    await page.getByRole('button', { name: `Disconnect ${who}` }).click();
    await page.getByRole('button', { name: 'Yes, disconnect' }).click();
  }
  await expect(acme.locator('tr', { hasText: `Acme Caller ${stamp}` })).toHaveCount(0, { timeout: 2_000 });
  await tenant.close();
});

test('the load chart draws the last hour of the feed', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, 'admin', undefined, '/live');
  await live(page);
  // A point per platform read (every 15 s by default): two points make a line.
  await expect(page.locator('#load-chart')).toHaveAttribute('aria-label', /Calls over the last/, { timeout: 40_000 });
});

test('a refused dial shows the node\'s message', async ({ page }) => {
  await signIn(page, 'admin', undefined, '/live');
  await hydrated(page);
  await page.getByLabel('Conference alias').fill('no-such-room@example.com');
  await page.getByLabel('Destination').fill('sip:nobody@example.com');
  await page.getByLabel('From location').selectOption('London');
  await page.getByRole('button', { name: 'Dial', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Failed to find a conference with this alias');
});

test('helpdesk staff see Live and History and control calls, nothing more', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await signIn(page, 'admin', undefined, '/users');
  const created = await page.request.post('/api/users/create', {
    form: { username: HELPDESK, password: HELPDESK_PASSWORD, role: 'helpdesk', tenant_id: '', email: '' },
  });
  expect(created.status()).toBe(200);
  await page.context().clearCookies();

  await signIn(page, HELPDESK, HELPDESK_PASSWORD, '/live');
  const nav = page.getByRole('navigation', { name: 'Main', exact: true });
  await expect(nav.getByRole('link')).toHaveText(['Meeting rooms', 'Live', 'Status', 'History', 'Usage']);
  await hydrated(page);
  const name = `Helpdesk Caller ${Date.now() % 100000}`;
  const row = await dialIn(page, name);
  await page.getByRole('button', { name: `Mute ${name}` }).click();
  await expect(row.locator('[data-participant-state]')).toHaveText('muted');
});

test('the live page is rendered on the server', async ({ page, browser }) => {
  await signIn(page, 'admin', undefined, '/');
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await context.newPage();
  await plain.goto('/live');
  await expect(plain.getByRole('heading', { level: 1 })).toHaveText('Live');
  await expect(plain.locator('#live-summary')).toHaveText(/[1-9]\d* conferences, [1-9]\d* calls/);
  await expect(plain.locator('#feed-link')).toContainText('Connecting');
  await expect(plain.getByLabel('From location')).toContainText('London');
  await context.close();
});
