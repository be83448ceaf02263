import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN_PASSWORD } from './fixtures';

// The main jobs work before (and without) the wasm: with JavaScript disabled, sign in (and see
// a refused password), search and page the rooms list, and change an end user's PIN. Every
// form is a plain HTML form: GET for the search and the pages, a POST to a server function
// answered with a redirect back to the page, the outcome visible there.
// Names are unique per run, so the spec runs beside the others against one portal.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

test.use({ javaScriptEnabled: false });

async function api(request: APIRequestContext, endpoint: string, body: unknown) {
  return request.post(`/api/${endpoint}`, { data: body, headers: { 'content-type': 'application/json' } });
}

/** Signs `request` in as admin (a context of its own, apart from the page's). */
async function adminRequest(request: APIRequestContext) {
  const login = await request.post('/api/auth/login', {
    form: { username: 'admin', password: ADMIN_PASSWORD, next: '/' },
    maxRedirects: 0,
  });
  expect(login.status()).toBeLessThan(400);
}

/** As admin: a room; returns its id. */
async function room(request: APIRequestContext, fields: Record<string, unknown>): Promise<number> {
  const response = await api(request, 'rooms/create', { fields });
  expect(response.status(), await response.text()).toBe(200);
  return Number(await response.json());
}

/** Signs in through the login page's plain form. */
async function signInWithoutJs(page: Page, username: string, password: string, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#current-user')).toHaveText(username);
}

test('sign-in works without JavaScript, and says why it refused', async ({ page }) => {
  await page.goto('/login?next=%2Frooms');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(`wrong-${run}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.locator('#login-error')).toHaveText('Wrong username or password.');

  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/rooms$/);
  await expect(page.locator('#current-user')).toHaveText('admin');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meeting rooms');
  // Nothing was left saying it is loading.
  await expect(page.locator('[data-pending]')).toBeHidden();
});

test('the rooms list is searched and paged without JavaScript', async ({ page, request }) => {
  await adminRequest(request);
  for (let n = 1; n <= 12; n++) {
    await room(request, { name: `nojs ${run} ${String(n).padStart(2, '0')}`, aliases: [{ alias: `nojs-${run}-${n}@example.com` }] });
  }
  await signInWithoutJs(page, 'admin', ADMIN_PASSWORD, '/rooms');

  await page.getByLabel('Name contains').fill(`nojs ${run}`);
  await page.getByLabel('Per page').selectOption('10');
  await page.getByLabel('Sort by').selectOption('name');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`/rooms\\?name=nojs`));
  await expect(page.locator('#rooms-count')).toHaveText('1–10 of 12 rooms');
  await expect(page.locator('#rooms tbody tr')).toHaveCount(10);
  await expect(page.locator('#rooms tbody tr').first()).toContainText(`nojs ${run} 01`);
  // The search is still in the form after the page load.
  await expect(page.getByLabel('Name contains')).toHaveValue(`nojs ${run}`);
  await expect(page.getByText('Page 1 of 2')).toBeVisible();

  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.locator('#rooms-count')).toHaveText('11–12 of 12 rooms');
  await expect(page.locator('#rooms tbody tr')).toHaveCount(2);
  await expect(page.locator('#rooms tbody tr').last()).toContainText(`nojs ${run} 12`);
  await expect(page.getByText('Page 2 of 2')).toBeVisible();

  await page.getByRole('link', { name: '← Previous' }).click();
  await expect(page.locator('#rooms-count')).toHaveText('1–10 of 12 rooms');

  // By alias too.
  await page.getByLabel('Name contains').fill('');
  await page.getByLabel('Alias contains').fill(`nojs-${run}-7@`);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('#rooms-count')).toHaveText('1–1 of 1 rooms');
  await expect(page.locator('#rooms tbody')).toContainText(`nojs ${run} 07`);
});

test("an end user changes their room's PIN without JavaScript", async ({ page, request }) => {
  const user = `nojs-${run}`;
  const email = `${user}@example.com`;
  const password = `${user}-password`;
  await adminRequest(request);
  const created = await request.post('/api/users/create', {
    form: { username: user, password, role: 'user', tenant_id: '', email },
  });
  expect(created.status(), await created.text()).toBe(200);
  const mine = await room(request, {
    name: `No-JS ${run}`, primary_owner_email_address: email, pin: '1111', allow_guests: true, guest_pin: '2222',
    aliases: [{ alias: `nojs-room-${run}@example.com` }],
  });

  await signInWithoutJs(page, user, password, '/rooms');
  const card = page.locator(`[data-room-card="${mine}"]`);
  const pin = card.locator(`#card-${mine}-pin`);
  // The form shows the room's values as sent by the server.
  await expect(pin).toHaveValue('1111');
  await expect(card.locator(`#card-${mine}-guest_pin`)).toHaveValue('2222');
  await expect(card.locator(`#card-${mine}-allow_guests`)).toBeChecked();

  // A refused PIN: back on the page, the server's message at the field, nothing saved.
  await pin.fill('12ab');
  await card.getByRole('button', { name: 'Save PINs' }).click();
  await expect(page).toHaveURL(new RegExp(`/rooms\\?pins=${mine}&__path=`));
  await expect(card.locator(`#card-${mine}-pin-error`)).toContainText('Enter digits only');
  await expect(card.locator(`#card-${mine}-saved`)).toHaveText('');
  expect((await (await api(request, 'rooms/get', { id: mine })).json()).pin).toBe('1111');

  // A good one: saved, and shown.
  await pin.fill('4321');
  await card.getByRole('button', { name: 'Save PINs' }).click();
  await expect(page).toHaveURL(new RegExp(`/rooms\\?saved=${mine}#card-${mine}$`));
  await expect(card.locator(`#card-${mine}-saved`)).toHaveText('Saved.');
  await expect(pin).toHaveValue('4321');
  const stored = await (await api(request, 'rooms/get', { id: mine })).json();
  expect(stored.pin).toBe('4321');
  // Only the PIN changed.
  expect(stored.guest_pin).toBe('2222');
  expect(stored.allow_guests).toBe(true);

  // Guest access off (an unticked box is sent as nothing).
  await card.locator(`#card-${mine}-allow_guests`).uncheck();
  await card.getByRole('button', { name: 'Save PINs' }).click();
  await expect(card.locator(`#card-${mine}-saved`)).toHaveText('Saved.');
  await expect(card.locator(`#card-${mine}-allow_guests`)).not.toBeChecked();
  expect((await (await api(request, 'rooms/get', { id: mine })).json()).allow_guests).toBe(false);
});

test('a form post to the PIN server function is answered 303 See Other, a script call gets its status', async ({ request }) => {
  await adminRequest(request);
  const id = await room(request, { name: `No-JS status ${run}`, pin: '1234' });
  const form = await request.post('/api/rooms/pins', {
    form: { id: String(id), pin: '5678', guest_pin: '' },
    headers: { accept: 'text/html' },
    maxRedirects: 0,
  });
  expect(form.status()).toBe(303);
  expect(form.headers().location).toBe(`/rooms?saved=${id}#card-${id}`);
  expect((await (await api(request, 'rooms/get', { id })).json()).pin).toBe('5678');
  // Bad input from a script: a 400 with the reason, no redirect.
  const refused = await request.post('/api/rooms/pins', { form: { id: String(id), pin: 'abc' }, maxRedirects: 0 });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain('digits');
});
