import { test, expect, hydrated, signIn, ADMIN_PASSWORD } from './fixtures';

const SECTIONS = ['Meeting rooms', 'Live', 'History', 'Backups', 'Licences', 'Audit', 'Users'];

test.describe('server-side rendering', () => {
  test('the HTML from the server already holds the page', async ({ page }) => {
    await signIn(page);
    const response = await page.request.get('/');
    expect(response.status()).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<h1[^>]*>Overview/);
    for (const title of SECTIONS) expect(html).toContain(`>${title}<`);
  });

  test.describe('with JavaScript disabled', () => {
    test.use({ javaScriptEnabled: false });

    test('the login page works as a plain form, then pages render on the server', async ({ page }) => {
      await page.goto('/rooms');
      await expect(page).toHaveURL(/\/login\?next=\/rooms$/);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(/\/rooms$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meeting rooms');
      await page.goto('/');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
      const nav = page.getByRole('navigation', { name: 'Main', exact: true });
      for (const title of SECTIONS) await expect(nav.getByRole('link', { name: title })).toBeVisible();
      await expect(page.locator('html[data-hydrated]')).toHaveCount(0);
    });
  });
});

test.describe('hydration', () => {
  test('a click handled by the wasm opens the compact menu', async ({ page, consoleErrors }) => {
    void consoleErrors;
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page);
    await hydrated(page);
    const toggle = page.locator('#nav-toggle');
    const menu = page.locator('#mobile-nav');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(menu).toBeHidden();
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(toggle).toHaveText('Close menu');
    await expect(menu.getByRole('link', { name: 'History' })).toBeVisible();
  });

  test('the login form reveals the password on request', async ({ page, consoleErrors }) => {
    void consoleErrors;
    await page.goto('/login');
    await hydrated(page);
    const password = page.getByLabel('Password', { exact: true });
    await expect(password).toHaveAttribute('type', 'password');
    await page.getByLabel('Show password').check();
    await expect(password).toHaveAttribute('type', 'text');
  });

  test('links navigate on the client after hydration', async ({ page, consoleErrors }) => {
    void consoleErrors;
    await signIn(page);
    await hydrated(page);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Live' }).click();
    await expect(page).toHaveURL(/\/live$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Live');
    // The same document: the router swapped the view instead of loading a new page.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });
});

test('no console errors on the pages of the shell', async ({ page, consoleErrors }) => {
  await signIn(page);
  for (const path of ['/', '/login', '/rooms', '/live', '/history', '/backups', '/licences', '/audit', '/users']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  await page.goto('/');
  await hydrated(page);
  expect(consoleErrors).toEqual([]);
});

test('unknown addresses answer 404 with a page', async ({ page }) => {
  await signIn(page);
  const response = await page.request.get('/no-such-page');
  expect(response.status()).toBe(404);
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});
