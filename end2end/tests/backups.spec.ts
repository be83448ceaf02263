import { test, expect, hydrated, signIn } from './fixtures';
import fs from 'node:fs';

// Backups against the demo deployment: create, download, restore (right and wrong passphrase),
// delete; and that only admins get anywhere near them.
test.describe.configure({ mode: 'serial' });

const PASSPHRASE = 'e2e backup passphrase';
const HELPDESK = 'backup-helpdesk';
const HELPDESK_PASSWORD = 'backup-helpdesk-password';

test('an admin creates, downloads, restores and deletes a backup', async ({ page }) => {
  // (No console-error check: the refused restore below is a 400 the browser logs.)
  test.setTimeout(90_000);
  await signIn(page, 'admin', undefined, '/backups');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Backups');
  await hydrated(page);
  const table = page.locator('#backups');
  const before = await table.locator('tbody tr').count();

  await page.getByLabel('Passphrase for the new backup').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create backup' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Backup created.' })).toBeVisible({ timeout: 60_000 });
  await expect(table.locator('tbody tr')).toHaveCount(before + 1);
  const row = table.locator('tbody tr').first();
  const filename = (await row.locator('td').first().textContent())!.trim();

  // Download: the bytes arrive as an attachment named after the backup.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: `Download ${filename}` }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(filename);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  expect(bytes.length).toBeGreaterThan(100);
  const direct = await page.request.get(`/api/backups/download/${filename}`);
  expect(direct.status()).toBe(200);
  expect(direct.headers()['content-disposition']).toBe(`attachment; filename="${filename}"`);
  expect(Buffer.compare(await direct.body(), bytes)).toBe(0);

  // A wrong passphrase: a clear refusal, nothing restored.
  await page.getByLabel('Backup file', { exact: true }).setInputFiles(file);
  await page.getByLabel('Passphrase of the backup').fill('not the passphrase');
  await page.getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('button', { name: 'Yes, restore' }).click();
  await expect(page.getByRole('alert')).toContainText('The passphrase is incorrect');

  // The right one: the upload shows its progress, then the node restores.
  await page.getByLabel('Passphrase of the backup').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('button', { name: 'Yes, restore' }).click();
  await expect(page.locator('#restore-progress')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'The backup was restored.' })).toBeVisible({ timeout: 60_000 });

  // Delete asks first.
  await row.getByRole('button', { name: `Delete ${filename}` }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(table.locator('td', { hasText: filename })).toHaveCount(0);

  // The audit trail has it all, without the passphrase.
  await page.goto('/audit?action=backup.');
  const audit = page.locator('#audit-events');
  for (const action of ['backup.create', 'backup.download', 'backup.restore', 'backup.delete']) {
    await expect(audit).toContainText(action);
  }
  await expect(audit).not.toContainText(PASSPHRASE);
});

test('the file routes refuse path tricks and strangers', async ({ page, playwright, baseURL }) => {
  await signIn(page, 'admin', undefined, '/');
  for (const name of ['..%2F..%2Fetc%2Fpasswd', '.hidden', 'a%20b']) {
    const answer = await page.request.get(`/api/backups/download/${name}`);
    expect(answer.status(), name).toBe(400);
  }
  const missing = await page.request.get('/api/backups/download/no-such-backup.tar');
  expect(missing.status()).toBe(404);

  const stranger = await playwright.request.newContext({ baseURL });
  expect((await stranger.get('/api/backups/download/x.tar')).status()).toBe(401);
  expect((await stranger.post('/api/backups/restore', { multipart: { passphrase: 'x' } })).status()).toBe(401);
  // A cross-site upload is refused before anything else.
  const crossSite = await page.request.post('/api/backups/restore', {
    headers: { 'sec-fetch-site': 'cross-site' },
    multipart: { passphrase: 'x' },
  });
  expect(crossSite.status()).toBe(403);
  await stranger.dispose();
});

test('a helpdesk account cannot reach backups', async ({ page }) => {
  await signIn(page, 'admin', undefined, '/');
  const created = await page.request.post('/api/users/create', {
    form: { username: HELPDESK, password: HELPDESK_PASSWORD, role: 'helpdesk', tenant_id: '', email: '' },
  });
  expect(created.status()).toBe(200);
  await page.context().clearCookies();

  await signIn(page, HELPDESK, HELPDESK_PASSWORD, '/');
  const nav = page.getByRole('navigation', { name: 'Main', exact: true });
  await expect(nav.getByRole('link', { name: 'History' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Backups' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Licences' })).toHaveCount(0);
  // Typing the address: the server renders the refusal, with the status to match.
  const response = await page.goto('/backups');
  expect(response!.status()).toBe(403);
  await expect(page.getByRole('alert').first()).toContainText('Your role does not allow this.');
  const list = await page.request.post('/api/backups/list', { form: {} });
  expect(list.status()).toBe(403);
  expect((await page.request.get('/api/backups/download/x.tar')).status()).toBe(403);
  const restore = await page.request.post('/api/backups/restore', {
    multipart: { passphrase: 'x', package: { name: 'b.tar', mimeType: 'application/octet-stream', buffer: Buffer.from('x') } },
  });
  expect(restore.status()).toBe(403);
});
