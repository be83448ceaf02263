import { test, expect, hydrated, signIn } from './fixtures';
import type { Page } from '@playwright/test';

// The live view against the demo deployment: calls in progress, dialling out, muting and
// disconnecting, media quality; and what a helpdesk account may do there.
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
  await expect(row.locator('.participant-state')).toHaveText('connected');

  await page.getByRole('button', { name: `Mute ${name}` }).click();
  await expect(row.locator('.participant-state')).toHaveText('muted');
  await page.getByRole('button', { name: `Unmute ${name}` }).click();
  await expect(row.locator('.participant-state')).toHaveText('connected');

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

  // The chart of calls over time gets a point per refresh.
  await expect(page.locator('#load-chart')).toBeVisible({ timeout: 15_000 });
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
  await expect(nav.getByRole('link')).toHaveText(['Meeting rooms', 'Live', 'History']);
  await hydrated(page);
  const name = `Helpdesk Caller ${Date.now() % 100000}`;
  const row = await dialIn(page, name);
  await page.getByRole('button', { name: `Mute ${name}` }).click();
  await expect(row.locator('.participant-state')).toHaveText('muted');
});

test('the live page is rendered on the server', async ({ page, browser }) => {
  await signIn(page, 'admin', undefined, '/');
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await context.newPage();
  await plain.goto('/live');
  await expect(plain.getByRole('heading', { level: 1 })).toHaveText('Live');
  await expect(plain.locator('#live-summary')).toHaveText(/\d+ conferences, \d+ calls/);
  await expect(plain.getByLabel('From location')).toContainText('London');
  await context.close();
});
