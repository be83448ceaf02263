import { test, expect, hydrated, signIn } from './fixtures';

// Call history against the demo deployment, which has hours of ended conferences.

test('history lists ended conferences and opens one with its calls and media', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await signIn(page, 'admin', undefined, '/history');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('History');
  await hydrated(page);
  const table = page.locator('#history-conferences');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(page.locator('#history-count')).toHaveText(/^1–25 of \d+$/);

  // Open the newest one (every conference instance starts with its first participant).
  const link = table.locator('tbody tr').first().getByRole('link');
  const href = (await link.getAttribute('href'))!;
  const name = (await link.textContent())!.trim();
  await page.locator(`a[href="${href}"]`).click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  expect(href).toMatch(/^\/history\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  const calls = page.locator('#history-participants article');
  await expect(calls.first()).toBeVisible();
  await expect(calls.first()).toContainText('Why it ended');
  await expect(page.locator('#call-timeline')).toHaveAttribute('aria-label', /Timeline of [1-9]\d* calls/);
  await expect(page.getByRole('list', { name: 'Media quality' }).first()).toContainText('packet loss');
});

test('history pages through the ended conferences', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await signIn(page, 'admin', undefined, '/history');
  await hydrated(page);
  await expect(page.locator('#history-count')).toHaveText(/^1–25 of \d+$/);
  // The next page starts at 26.: the next page starts at 26.
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page.locator('#history-count')).toHaveText(/^26–\d+ of \d+$/);
  await page.getByRole('link', { name: '← Previous' }).click();
  await expect(page.locator('#history-count')).toHaveText(/^1–25 of \d+$/);
});

test('history filters by name and time', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await signIn(page, 'admin', undefined, '/history');
  await hydrated(page);
  const first = (await page.locator('#history-conferences tbody tr a').first().textContent())!.trim();
  await page.getByLabel('Name contains').fill(first);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/name=/);
  const names = page.locator('#history-conferences tbody tr a');
  await expect(names.first()).toHaveText(first);
  // The filtered list replaces the unfiltered one once its answer arrives: wait for every row.
  await expect
    .poll(async () => (await names.allTextContents()).filter((t) => !t.toLowerCase().includes(first.toLowerCase())))
    .toEqual([]);

  // A window long before the demo's activity holds nothing.
  await page.goto('/history?from=2001-01-01T00:00&to=2001-01-02T00:00');
  await expect(page.getByText('No ended conferences match.')).toBeVisible();
});

test('a bad time filter and an unknown conference answer clearly', async ({ page }) => {
  await signIn(page, 'admin', undefined, '/');
  await page.goto('/history?from=yesterday');
  await expect(page.getByRole('alert')).toContainText('2026-11-29T14:30');
  await page.goto('/history/00000000-0000-0000-0000-000000000000');
  await expect(page.getByRole('alert')).toHaveText('Not found.');
});

test('the history page is rendered on the server', async ({ page, browser }) => {
  await signIn(page, 'admin', undefined, '/');
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await context.newPage();
  await plain.goto('/history');
  await expect(plain.locator('#history-conferences tbody tr').first()).toBeVisible();
  await context.close();
});
