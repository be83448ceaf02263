import fs from 'node:fs';
import { test as base, type APIRequestContext, type Page } from '@playwright/test';
import { test, expect, hydrated, signIn } from './fixtures';

// Device aliases (/devices) for a tenant admin, and "Sync now" on an LDAP sync template for an
// admin. Names are unique per run, so the spec runs beside the others against one portal.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

async function api(request: APIRequestContext, endpoint: string, body: unknown) {
  const response = await request.post(`/api/${endpoint}`, { data: body, headers: { 'content-type': 'application/json' } });
  return response;
}

async function form(request: APIRequestContext, endpoint: string, fields: Record<string, string>) {
  const response = await request.post(`/api/${endpoint}`, { form: fields });
  expect(response.ok(), `${endpoint}: ${await response.text()}`).toBeTruthy();
}

/** As admin: a tenant with an alias domain and its tenant admin; returns the password. */
async function tenantAdmin(page: Page, tag: string): Promise<string> {
  await form(page.request, 'tenants/create', { name: `Tenant ${tag}`, tag, alias_domains: `${tag}.example` });
  const tenants = await (await page.request.post('/api/tenants/list', { form: {} })).json();
  const tenantId = String(tenants.find((t: { tag: string }) => t.tag === tag).id);
  const password = `admin-${tag}-password`;
  await form(page.request, 'users/create', { username: `admin-${tag}`, password, role: 'tenant_admin', tenant_id: tenantId, email: '' });
  return password;
}

// The refused alias is a 400 the browser logs: no console check for this flow.
base('a tenant admin lists, creates, edits and deletes only their own device aliases', async ({ page }) => {
  const mine = `da${run}`;
  const theirs = `db${run}`;
  await signIn(page, 'admin');
  const password = await tenantAdmin(page, mine);
  await form(page.request, 'tenants/create', { name: `Tenant ${theirs}`, tag: theirs, alias_domains: `${theirs}.example` });
  const created = await api(page.request, 'devices/create', { fields: { alias: `desk-${run}@${theirs}.example`, tag: theirs } });
  expect(created.status(), await created.text()).toBe(200);
  const foreign = Number(await created.json());
  await page.context().clearCookies();

  await signIn(page, `admin-${mine}`, password, '/devices');
  await expect(page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Devices' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Device aliases');
  await page.goto(`/devices?alias=${encodeURIComponent(run)}`);
  await expect(page.locator('#devices-empty')).toBeVisible();
  // Another tenant's device is not found, by address or through the API.
  expect((await page.goto(`/devices/${foreign}`))?.status()).toBe(404);
  expect((await api(page.request, 'devices/get', { id: foreign })).status()).toBe(404);

  // Creating: an alias outside the tenant's domains is refused at the alias field.
  await page.goto('/devices/new');
  await hydrated(page);
  await page.locator('#device-alias').fill(`desk-${run}@${theirs}.example`);
  await page.locator('#device-description').fill('Reception');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('[data-field-name="alias"] [data-source="server"]')).toContainText(`aliases must end in @${mine}.example`);
  await page.locator('#device-alias').fill(`desk-${run}@${mine}.example`);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/devices\/\d+$/);
  await hydrated(page);
  await expect(page.locator('#device-tag')).toHaveValue(mine);

  // Editing.
  await page.locator('#device-description').fill('Front desk');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#device-saved')).toHaveText('Saved.');

  // The list shows it (and only it), then it is deleted.
  await page.goto(`/devices?alias=${encodeURIComponent(run)}`);
  const table = page.locator('#devices-table');
  await expect(table).toContainText(`desk-${run}@${mine}.example`);
  await expect(table).toContainText('Front desk');
  await expect(table).not.toContainText(theirs);
  await hydrated(page);
  await table.getByRole('link', { name: `desk-${run}@${mine}.example` }).click();
  await expect(page).toHaveURL(/\/devices\/\d+$/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Delete device…' }).click();
  await page.locator('#confirm-delete').click();
  await expect(page).toHaveURL(/\/devices$/);
  await page.goto(`/devices?alias=${encodeURIComponent(run)}`);
  await expect(page.locator('#devices-empty')).toBeVisible();
});

test('an admin runs an LDAP template sync and watches it complete', async ({ page, consoleErrors }) => {
  await signIn(page, 'admin');
  const source = await api(page.request, 'config/create', {
    resource: 'ldap_sync_source',
    fields: { name: `Corp ${run}`, ldap_server: 'ldap.example.com', ldap_base_dn: 'dc=example,dc=com' },
  });
  expect(source.status(), await source.text()).toBe(200);
  const template = await api(page.request, 'config/create', {
    resource: 'conference_sync_template',
    fields: { name: `People ${run}`, ldap_sync_source: await source.json(), conference_name: `Sync ${run} {{uid}}` },
  });
  expect(template.status(), await template.text()).toBe(200);
  const uri: string = await template.json();
  const id = uri.replace(/\/$/, '').split('/').pop();

  await page.goto(`/config/conference_sync_template/${id}`);
  await hydrated(page);
  await expect(page.locator('#sync-state')).toHaveText('IDLE');
  await page.getByRole('button', { name: 'Sync now' }).click();
  // Read again every second while it runs: four reads take it to the end.
  await expect(page.locator('#sync-state')).toHaveText('COMPLETED');
  await expect(page.locator('#sync-progress')).toHaveText('10 created, 0 updated, 0 unchanged, 0 deleted');

  await page.goto(`/rooms?name=${encodeURIComponent(`Sync ${run}`)}`);
  await expect(page.getByRole('link', { name: `Sync ${run} alice` })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('a tenant admin imports device aliases from CSV (create, change, refusal) and downloads the export', async ({ page, consoleErrors }) => {
  const tag = `di${run}`;
  await signIn(page, 'admin');
  const password = await tenantAdmin(page, tag);
  const existing = await api(page.request, 'devices/create', {
    fields: { alias: `desk-${run}@${tag}.example`, tag, description: 'Old desk' },
  });
  expect(existing.status(), await existing.text()).toBe(200);
  await page.context().clearCookies();

  await signIn(page, `admin-${tag}`, password, '/devices');
  await hydrated(page);
  await page.getByRole('link', { name: 'Import CSV' }).click();
  await expect(page).toHaveURL(/\/devices\/import$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import device aliases');
  await hydrated(page);
  await page.locator('#import-text').fill(
    [
      'alias,description,username,password',
      `new-${run}@${tag}.example,New desk,new,pw-${run}`,
      `desk-${run}@${tag}.example,Front desk,,`,
      `out-${run}@elsewhere.example,Outside,,`,
    ].join('\n'),
  );
  await page.locator('#import-check').click();
  await expect(page.locator('#import-summary')).toHaveText(
    '3 device aliases: 1 ready to create, 1 to change, 0 unchanged, 1 with errors (1 error).',
  );
  await expect(page.locator('#import-items [data-check] li')).toHaveText([
    `line 4, alias: \`out-${run}@elsewhere.example\`: aliases must end in @${tag}.example`,
  ]);
  await expect(page.locator('tr[data-line="3"] [data-check]')).toHaveText('ready: changes description');
  const start = page.locator('#import-create');
  await expect(start).toHaveText('Import 2 device aliases');
  await start.click();
  await expect(page.locator('#import-status')).toHaveText('Done: 1 created, 1 updated, 0 failed (of 2).');
  await expect(page.locator('#import-progress')).toHaveAttribute('value', '2');
  await expect(page.locator('tr[data-line="2"] [data-result]')).toHaveText('created');
  await expect(page.locator('tr[data-line="3"] [data-result]')).toHaveText('changed');
  await expect(page.locator('tr[data-line="4"] [data-result]')).toHaveText('not imported');
  await expect(start, 'no second submission').toBeDisabled();

  // The list shows the result; its export (of the search shown) downloads the two devices.
  await page.goto(`/devices?alias=${encodeURIComponent(run)}`);
  const table = page.locator('#devices-table');
  await expect(table).toContainText(`new-${run}@${tag}.example`);
  await expect(table).toContainText('Front desk');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('devices.csv');
  const text = fs.readFileSync(await download.path(), 'utf8');
  const rows = text.trimEnd().split('\r\n');
  expect(rows[0]).toBe('alias,tag,description,username,password,primary_owner_email_address,enable_sip,enable_h323,enable_infinity_connect');
  expect(rows).toHaveLength(3);
  expect(rows[1]).toMatch(new RegExp(`^desk-${run}@${tag}\\.example,${tag},Front desk,`));
  expect(rows[2]).toMatch(new RegExp(`^new-${run}@${tag}\\.example,${tag},New desk,new,\\$~!1`));
  expect(text, 'the clear password never reaches the browser').not.toContain(`pw-${run}`);
  expect(consoleErrors).toEqual([]);
});
