import { test, expect, hydrated, signIn } from './fixtures';

// One flow through the admin pages: tenant and account creation, what the new tenant admin
// sees, and the audit trail of it all. Serial: each step builds on the one before.
test.describe.configure({ mode: 'serial' });

// Not the demo tenants (acme, globex), which demo mode creates for its demo people.
const TENANT_ADMIN = 'initech-admin';
const TENANT_ADMIN_PASSWORD = 'initech-admin-password';

// (No console-error check here: the refused creation below is a 400 the browser logs.)
test('an admin creates a tenant and a tenant admin on the Users page', async ({ page }) => {
  await signIn(page, 'admin', undefined, '/users');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Users');
  await hydrated(page);

  await page.getByLabel('Name', { exact: true }).fill('Initech');
  await page.getByLabel('Tag (marks the tenant\'s services)').fill('initech');
  await page.getByLabel('Alias domains (comma-separated)').fill('initech.example');
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await expect(page.locator('#tenants')).toContainText('initech.example');

  await page.getByLabel('Username').fill(TENANT_ADMIN);
  await page.getByLabel('Password', { exact: true }).fill(TENANT_ADMIN_PASSWORD);
  await page.getByLabel('Role').selectOption('tenant_admin');
  await page.getByLabel('Tenant (tenant admins)').selectOption({ label: 'Initech' });
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#accounts')).toContainText(TENANT_ADMIN);

  // A tenant admin without a tenant is refused with the server's message.
  await page.getByLabel('Username').fill('lost-admin');
  await page.getByLabel('Password', { exact: true }).fill('lost-admin-password');
  await page.getByLabel('Role').selectOption('tenant_admin');
  await page.getByLabel('Tenant (tenant admins)').selectOption('');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('tenant');
  await expect(page.locator('#accounts')).not.toContainText('lost-admin');
});

test('the tenant admin sees only their sections and cannot use the admin pages', async ({ page }) => {
  await signIn(page, TENANT_ADMIN, TENANT_ADMIN_PASSWORD);
  const nav = page.getByRole('navigation', { name: 'Main', exact: true });
  await expect(nav.getByRole('link')).toHaveText(['Meeting rooms', 'Devices', 'Live', 'Usage', 'Audit']);
  // Typing the address does not help: the server refuses the data.
  await page.goto('/users');
  await expect(page.getByRole('alert').first()).toHaveText('Your role does not allow this.');
  const direct = await page.request.post('/api/users/list', { data: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(direct.status()).toBe(403);
});

test('the audit trail records the changes with who made them', async ({ page }) => {
  await signIn(page, 'admin', undefined, '/audit?action=account.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit');
  const table = page.locator('#audit-events');
  await expect(table).toContainText('account.create');
  await expect(table).toContainText(TENANT_ADMIN);
  await expect(table).not.toContainText(TENANT_ADMIN_PASSWORD);
  // The refused creation is recorded with its error.
  await expect(table).toContainText('error:');
});
