import { test, expect, hydrated, signIn } from './fixtures';

// Usage reports against the demo deployment: the portal reads the simulator's past hours of
// history at start, so the current month has conferences (the demo's Acme and Globex tenants).

/** Opens `path` until the report shows conferences (the history is read once the server starts). */
async function openReport(page: import('@playwright/test').Page, path: string) {
  await expect
    .poll(async () => {
      await page.goto(path);
      // The first figure of the totals is the conferences' (the UI kit's Strong is a styled
      // span, so the figure is read from the card's text: "<number> conferences").
      const total = page.locator('#usage-totals > *').first();
      await expect(total).toContainText('conferences');
      const figure = /^\s*(\d+)\s*conferences\s*$/.exec((await total.textContent()) ?? '');
      return figure ? Number(figure[1]) : NaN;
    }, { timeout: 30_000 })
    .toBeGreaterThan(0);
  await hydrated(page);
}

test('admins see every tenant by day and week, with charts and a CSV export', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await signIn(page, 'admin', undefined, '/');
  await page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Usage' }).click();
  await expect(page).toHaveURL(/\/usage$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Usage');
  await openReport(page, '/usage');

  await expect(page.locator('#usage-coverage')).toContainText('The portal holds');
  await expect(page.locator('#usage-minutes-chart rect').first()).toBeAttached();
  await expect(page.locator('#usage-minutes-chart')).toHaveAttribute('aria-label', /^Participant minutes per day, \d{4}-\d{2}-\d{2} to /);
  await expect(page.locator('#usage-quality-bars li')).toHaveCount(5);
  await expect(page.locator('#usage-protocol-bars li').first()).toBeVisible();
  const rooms = page.locator('#usage-top-rooms tbody tr');
  await expect(rooms.first()).toBeVisible();
  expect(await rooms.count()).toBeLessThanOrEqual(10);
  const tenant = page.getByLabel('Tenant');
  await expect(tenant.locator('option[value="acme"]')).toHaveCount(1);

  // By week, for Acme: the URL carries the report, the table and the export follow it.
  await tenant.selectOption('acme');
  await page.getByLabel('By', { exact: true }).selectOption('week');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/tenant=acme/);
  await expect(page).toHaveURL(/period=week/);
  await expect(page.locator('#usage-buckets thead th').first()).toHaveText('Week');
  await expect(page.locator('#usage-top-rooms tbody tr td:nth-child(2)').first()).toHaveText('acme');
  const tenants = await page.locator('#usage-top-rooms tbody tr td:nth-child(2)').allTextContents();
  expect(tenants.every((t) => t === 'acme')).toBe(true);

  const exportLink = page.getByRole('link', { name: 'Export CSV' });
  const href = (await exportLink.getAttribute('href'))!;
  expect(href).toMatch(/^\/api\/usage\/report\.csv\?/);
  expect(href).toContain('tenant=acme');
  expect(href).toContain('period=week');
  const csv = await page.request.get(href);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  const lines = (await csv.text()).trim().split(/\r?\n/);
  expect(lines[0]).toBe('section,name,tenant,conferences,participants,participant_minutes,peak_concurrent');
  expect(lines[1]).toMatch(/^total,\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2},acme,[1-9]\d*,/);
  expect(lines.some((l) => l.startsWith('week,'))).toBe(true);
  expect(lines.filter((l) => l.startsWith('quality,'))).toHaveLength(5);
});

test('a tenant admin sees only their tenant', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await signIn(page, 'demo-acme-admin', 'demo-password', '/');
  await openReport(page, '/usage');
  await expect(page.getByLabel('Tenant')).toHaveCount(0);
  await expect(page.locator('#usage-coverage')).toContainText('Tenant acme');
  const tenants = await page.locator('#usage-top-rooms tbody tr td:nth-child(2)').allTextContents();
  expect(tenants.length).toBeGreaterThan(0);
  expect(tenants.every((t) => t === 'acme')).toBe(true);
  const other = await page.request.get('/api/usage/report.csv?tenant=globex');
  expect(other.status()).toBe(403);
});

test('the history list exports what its filters keep', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await signIn(page, 'admin', undefined, '/history');
  await hydrated(page);
  const first = (await page.locator('#history-conferences tbody tr a').first().textContent())!.trim();
  await page.getByLabel('Name contains').fill(first);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/name=/);
  const exportLink = page.getByRole('link', { name: 'Export CSV' });
  await expect(exportLink).toHaveAttribute('href', /^\/api\/history\/export\.csv\?name=/);
  const csv = await page.request.get((await exportLink.getAttribute('href'))!);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split(/\r?\n/);
  expect(lines[0]).toBe('id,name,tag,service_type,start_time,end_time,duration,participant_count');
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.slice(1).every((l) => l.toLowerCase().includes(first.toLowerCase()))).toBe(true);
});
