import { test as plainTest } from '@playwright/test';
import type { Page } from '@playwright/test';
import { test, expect, signIn, ADMIN_PASSWORD } from './fixtures';

// Rooms CSV import (preview with per-line errors, one-by-one creation with progress) and the
// CSV export of a filtered list. Every test uses its own name prefix: specs run in parallel
// against one server.

const HEADER = 'name,description,pin,allow_guests,guest_pin,alias_alias,alias_description,tag';

function unique(label: string): string {
  return `${label}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** The rooms whose name contains `prefix`, counted by the rooms server function. */
async function countRooms(page: Page, prefix: string): Promise<number> {
  const response = await page.request.post('/api/rooms/list', {
    data: { query: { name: prefix, limit: 500, offset: 0 } },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).meta.total_count;
}

async function chooseFile(page: Page, lines: string[]) {
  await page.locator('#import-file').setInputFiles({
    name: 'rooms.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(lines.join('\r\n') + '\r\n'),
  });
}

test('importing 50 rooms with two bad lines reports exactly those lines and creates the 48 others', async ({ page }) => {
  test.setTimeout(120_000);
  const prefix = unique('imp');
  const lines = [HEADER];
  for (let i = 1; i <= 50; i++) {
    // Room i is on line i + 1 (the header is line 1).
    const pin = i === 17 ? '12ab' : '1234';
    const alias = i === 33 ? `${prefix}-5@example.com` : `${prefix}-${i}@example.com`;
    lines.push(`${prefix} room ${i},Imported,${pin},false,,${alias},,`);
  }
  await signIn(page, 'admin', ADMIN_PASSWORD, '/rooms/import');
  await expect(page.getByRole('heading', { name: 'Import meeting rooms' })).toBeVisible();
  await chooseFile(page, lines);
  await expect(page.locator('#import-text')).toHaveValue(new RegExp(`${prefix} room 50,`));

  await page.locator('#import-check').click();
  await expect(page.locator('#import-summary')).toHaveText(
    '50 rooms: 48 ready to create, 2 with errors (2 errors).',
  );
  await expect(page.locator('#import-items [data-check] li')).toHaveText([
    'line 18, pin: Enter digits only, optionally followed by #.',
    `line 34, alias_alias: the alias \`${prefix}-5@example.com\` is already on line 6`,
  ]);
  await expect(page.locator('#import-items tbody tr')).toHaveCount(50);
  expect(await countRooms(page, prefix), 'the check creates nothing').toBe(0);

  await page.locator('#import-create').click();
  await expect(page.locator('#import-status')).toHaveText(
    'Done: 48 created, 0 failed (of 48).',
    { timeout: 90_000 },
  );
  await expect(page.locator('#import-progress')).toHaveAttribute('value', '48');
  await expect(page.locator('#import-create'), 'no second submission').toBeDisabled();
  await expect(page.locator('#import-items [data-result] a', { hasText: 'created' })).toHaveCount(48);
  await expect(page.locator('tr[data-line="18"] [data-result]')).toHaveText('not created');
  await expect(page.locator('tr[data-line="34"] [data-result]')).toHaveText('not created');
  expect(await countRooms(page, prefix)).toBe(48);

  // The export of that filter holds exactly the 48 rooms, in the import format.
  const exported = await page.request.get(`/api/rooms/export.csv?name=${encodeURIComponent(prefix)}&order=name`);
  expect(exported.status()).toBe(200);
  expect(exported.headers()['content-type']).toContain('text/csv');
  expect(exported.headers()['content-disposition']).toContain('attachment');
  const rows = (await exported.text()).trimEnd().split('\r\n');
  expect(rows[0]).toMatch(/^name,description,pin,allow_guests,guest_pin,alias_alias,alias_description,tag,/);
  expect(rows).toHaveLength(49);
  const names = rows.slice(1).map((row) => row.split(',')[0]).sort();
  const expected = Array.from({ length: 50 }, (_, i) => i + 1)
    .filter((i) => i !== 17 && i !== 33)
    .map((i) => `${prefix} room ${i}`)
    .sort();
  expect(names).toEqual(expected);

  // The alias filter narrows the export like the list.
  const one = await page.request.get(`/api/rooms/export.csv?alias=${encodeURIComponent(`${prefix}-42@`)}`);
  const oneRows = (await one.text()).trimEnd().split('\r\n');
  expect(oneRows).toHaveLength(2);
  expect(oneRows[1]).toMatch(new RegExp(`^${prefix} room 42,`));
});

// (No console-error check: the refused file is a 400 answer, which the browser logs.)
plainTest('a file that cannot be read is refused with its line; one over the size cap before sending', async ({ page }) => {
  await signIn(page, 'admin', ADMIN_PASSWORD, '/rooms/import');
  await page.locator('#import-text').fill(`${HEADER}\nroom a,"never closed\n`);
  await page.locator('#import-check').click();
  await expect(page.locator('#import-source-error')).toHaveText(
    'line 2: a quoted cell is never closed (a " inside a quoted cell must be doubled: "")',
  );
  await expect(page.locator('#import-summary')).toHaveCount(0);

  let previews = 0;
  page.on('request', (request) => {
    if (request.url().includes('/api/rooms/import/preview')) previews += 1;
  });
  await page.locator('#import-file').setInputFiles({
    name: 'big.csv',
    mimeType: 'text/csv',
    buffer: Buffer.alloc(400 * 1024, 'a'),
  });
  await expect(page.locator('#import-source-error')).toContainText('at most 384 KB');
  expect(previews).toBe(0);
});

test('stopping an import finishes the room being created and leaves the rest untried', async ({ page }) => {
  const prefix = unique('stop');
  const lines = [HEADER];
  for (let i = 1; i <= 5; i++) lines.push(`${prefix} room ${i},,,,,${prefix}-${i}@example.com,,`);
  await signIn(page, 'admin', ADMIN_PASSWORD, '/rooms/import');

  // Hold the first creation until Stop has been pressed.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let creations = 0;
  await page.route('**/api/rooms/create', async (route) => {
    creations += 1;
    if (creations === 1) await held;
    await route.continue();
  });
  await chooseFile(page, lines);
  await page.locator('#import-check').click();
  await expect(page.locator('#import-summary')).toHaveText('5 rooms: 5 ready to create, 0 with errors (0 errors).');
  await page.locator('#import-create').click();
  await expect(page.locator('#import-create')).toBeDisabled();
  await expect(page.locator('#import-check')).toBeDisabled();
  await page.locator('#import-stop').click();
  await expect(page.locator('#import-stop')).toHaveText('Stopping…');
  release();
  await expect(page.locator('#import-status')).toHaveText(
    'Stopped: 1 created, 0 failed, 4 not tried (of 5).',
  );
  expect(creations).toBe(1);
  expect(await countRooms(page, prefix)).toBe(1);
});

test('a tenant admin imports into their tenant only and sees the refusals per line', async ({ page, browser }) => {
  const tag = unique('t').toLowerCase();
  const domain = `${tag}.example`;
  await signIn(page, 'admin', ADMIN_PASSWORD, '/');
  const tenant = await page.request.post('/api/tenants/create', {
    form: { name: `Tenant ${tag}`, tag, alias_domains: domain },
  });
  expect(tenant.status()).toBe(200);
  const tenants = await (await page.request.post('/api/tenants/list', { form: {} })).json();
  const tenantId = tenants.find((t: { tag: string }) => t.tag === tag).id;
  const account = await page.request.post('/api/users/create', {
    form: { username: tag, password: 'tenant-admin-password', role: 'tenant_admin', tenant_id: String(tenantId), email: '' },
  });
  expect(account.status()).toBe(200);

  const context = await browser.newContext();
  const tenantPage = await context.newPage();
  await signIn(tenantPage, tag, 'tenant-admin-password', '/rooms/import');
  await tenantPage.locator('#import-text').fill(
    [
      HEADER,
      `${tag} one,,,,,one@${domain},,`,
      `${tag} two,,,,,two@${domain},,someone-else`,
      `${tag} three,,,,,three@elsewhere.example,,`,
    ].join('\n'),
  );
  await tenantPage.locator('#import-check').click();
  await expect(tenantPage.locator('#import-items [data-check] li')).toHaveText([
    `line 3, tag: services of your tenant must keep the tag \`${tag}\``,
    `line 4, alias_alias: \`three@elsewhere.example\`: aliases must end in @${domain}`,
  ]);
  await tenantPage.locator('#import-create').click();
  await expect(tenantPage.locator('#import-status')).toHaveText('Done: 1 created, 0 failed (of 1).');
  const exported = await (await tenantPage.request.get('/api/rooms/export.csv')).text();
  const rows = exported.trimEnd().split('\r\n');
  expect(rows).toHaveLength(2);
  expect(rows[1]).toContain(`${tag} one,`);
  expect(rows[1]).toContain(`,${tag},`);
  await context.close();
});

test('people whose role cannot create rooms are told so instead of getting the import form', async ({ page, browser }) => {
  const username = unique('helpdesk');
  await signIn(page, 'admin', ADMIN_PASSWORD, '/');
  const account = await page.request.post('/api/users/create', {
    form: { username, password: 'helpdesk-password', role: 'helpdesk', tenant_id: '', email: '' },
  });
  expect(account.status()).toBe(200);

  const context = await browser.newContext();
  const helpdesk = await context.newPage();
  await signIn(helpdesk, username, 'helpdesk-password', '/rooms/import');
  await expect(helpdesk.getByRole('alert')).toHaveText('Your role does not allow creating rooms.');
  await expect(helpdesk.locator('#import-file')).toHaveCount(0);
  // The server refuses the check anyway.
  const refused = await helpdesk.request.post('/api/rooms/import/preview', { data: { csv: 'name\nX\n' } });
  expect(refused.status()).toBe(403);
  // Export is a read: helpdesk may export what they see.
  const exported = await helpdesk.request.get('/api/rooms/export.csv');
  expect(exported.status()).toBe(200);
  await context.close();
});
