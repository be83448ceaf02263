import { test, expect, hydrated, signIn } from './fixtures';

// Licences against the demo deployment: usage bars, adding and removing an entitlement.
test.describe.configure({ mode: 'serial' });

test('an admin sees usage, adds a licence and removes it', async ({ page }) => {
  // (No console-error check: the refused key below is a 400 the browser logs.)
  await signIn(page, 'admin', undefined, '/licences');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Licences');
  await hydrated(page);
  const usage = page.locator('#licence-usage');
  await expect(usage.getByRole('img').first()).toHaveAttribute('aria-label', /: \d+ of \d+ in use$/);

  // A malformed key is refused with the node's message.
  await page.getByLabel('Entitlement key', { exact: true }).fill('not-a-key');
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByRole('alert')).toContainText('XXXX-XXXX-XXXX-XXXX');

  const hex = () => Math.floor(Math.random() * 0x10000).toString(16).toUpperCase().padStart(4, '0');
  const key = `E2E0-${hex()}-${hex()}-${hex()}`;
  await page.getByLabel('Entitlement key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Licence activated.' })).toBeVisible();
  const row = page.locator('#licences tr', { hasText: key });
  await expect(row).toContainText('Activated');

  await row.getByRole('button', { name: `Remove ${key}` }).click();
  await page.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.locator('#licences tr', { hasText: key })).toHaveCount(0);

  await page.goto('/audit?action=licence.');
  await expect(page.locator('#audit-events')).toContainText('licence.add');
  await expect(page.locator('#audit-events')).toContainText('licence.remove');
});

test('the licences page is rendered on the server', async ({ page, browser }) => {
  await signIn(page, 'admin', undefined, '/');
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await context.newPage();
  await plain.goto('/licences');
  await expect(plain.locator('#licence-usage svg').first()).toBeVisible();
  await context.close();
});
