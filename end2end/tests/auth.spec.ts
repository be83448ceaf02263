import { test, expect, hydrated, signIn, ADMIN_PASSWORD } from './fixtures';

test('pages send signed-out visitors to the login page and back', async ({ page }) => {
  await page.goto('/history');
  await expect(page).toHaveURL(/\/login\?next=\/history$/);
  await hydrated(page);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/history$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('History');
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong username or password.');
  await expect(page).toHaveURL(/\/login/);
});

test('the session cookie is HttpOnly and SameSite=Strict, and sign-out ends it on the server', async ({ page, context }) => {
  await signIn(page);
  const cookie = (await context.cookies()).find((c) => c.name === 'portal_session');
  expect(cookie, 'session cookie').toBeDefined();
  expect(cookie!.httpOnly).toBe(true);
  expect(cookie!.sameSite).toBe('Strict');
  // The browser's JavaScript cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain('portal_session');

  const stolen = cookie!.value;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  // Replaying the old cookie does not bring the session back.
  const replay = await page.request.post('/api/auth/me', {
    headers: { cookie: `portal_session=${stolen}` },
  });
  expect(replay.status()).toBe(200);
  expect(await replay.json()).toBeNull();
});

test('the demo banner says the portal runs against the simulator', async ({ page }) => {
  await signIn(page);
  await expect(page.locator('#demo-banner')).toContainText('simulator');
});

test.describe('the BFF surface', () => {
  test('server functions refuse anonymous callers with 401', async ({ request }) => {
    const response = await request.post('/api/rooms/list', {
      data: { query: { limit: 5, offset: 0 } },
    });
    expect(response.status()).toBe(401);
  });

  test('cross-site mutations are refused before any handler runs', async ({ page }) => {
    await signIn(page);
    const forged = await page.request.post('/api/auth/logout', {
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(forged.status()).toBe(403);
    // The session is still alive.
    await page.goto('/');
    await expect(page.locator('#current-user')).toHaveText('admin');
  });

  test('an admin lists rooms of the demo deployment through the BFF', async ({ page }) => {
    await signIn(page);
    const response = await page.request.post('/api/rooms/list', {
      data: { query: { limit: 5, offset: 0, name: null, service_type: null, order_by: 'name' } },
    });
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body.meta.total_count).toBeGreaterThan(20);
    expect(body.objects).toHaveLength(5);
  });
});
