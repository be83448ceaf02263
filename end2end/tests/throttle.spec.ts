import { test, expect, hydrated, ADMIN_PASSWORD } from './fixtures';

// Login throttling as a person meets it on the login page. A dedicated account, so the other
// specs (running in parallel against the same server) are not locked out. The limit is the
// default `login_throttle.max_failures_per_account` (5 within 15 minutes, see README).
const USER = 'throttle-target';
const PASSWORD = 'throttle-target-password';
const MAX_FAILURES_PER_ACCOUNT = 5;

test('repeated wrong passwords lock the account with a clear message, the right one included', async ({ page, request }) => {
  // The admin creates the account through the BFF.
  const admin = await request.post('/api/auth/login', {
    form: { username: 'admin', password: ADMIN_PASSWORD, next: '/' },
    maxRedirects: 0,
  });
  expect(admin.status()).toBeLessThan(400);
  const created = await request.post('/api/users/create', {
    form: { username: USER, password: PASSWORD, role: 'user', tenant_id: '', email: 'throttle@example.com' },
  });
  expect(created.status(), await created.text()).toBe(200);

  await page.goto('/login');
  await hydrated(page);
  const alert = page.getByRole('alert');

  async function attempt(password: string) {
    await page.getByLabel('Username').fill(USER);
    await page.getByLabel('Password', { exact: true }).fill(password);
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    return (await answered).status();
  }

  for (let i = 1; i <= MAX_FAILURES_PER_ACCOUNT; i++) {
    expect(await attempt(`wrong-password-${i}`)).toBe(400);
    await expect(alert).toHaveText('Wrong username or password.');
  }

  // One more wrong guess: refused without checking, with how long to wait.
  expect(await attempt('wrong-password-again')).toBe(429);
  await expect(alert).toHaveText(/^Too many failed sign-in attempts\. Try again in \d+ (seconds|minutes)\.$/);

  // The right password does not get through either while the account waits.
  expect(await attempt(PASSWORD)).toBe(429);
  await expect(alert).toContainText('Too many failed sign-in attempts.');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.locator('#current-user')).toHaveCount(0);
  const me = await page.request.post('/api/auth/me');
  expect(await me.json()).toBeNull();

  // Other accounts are not affected: the admin still signs in from the same address.
  const other = await page.request.post('/api/auth/login', {
    form: { username: 'admin', password: ADMIN_PASSWORD, next: '/' },
    maxRedirects: 0,
  });
  expect(other.status()).toBeLessThan(400);
});
