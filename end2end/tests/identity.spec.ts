import { type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { test, expect, hydrated } from './fixtures';
import { LDAP_PORT, OIDC_ISSUER, SSO_NAME } from '../playwright.config';

// Signing in with the organisation's identity, against a real OpenLDAP (scripts/
// ldap-test-server.sh, seeded from end2end/ldap/) and a real OpenID provider
// (end2end/oidc/provider.mjs), both on loopback. The role mapping is in playwright.config.ts.

type Me = { username: string; role: string; tenant: string | null } | null;

async function me(page: Page): Promise<Me> {
  const response = await page.request.post('/api/auth/me', { form: {} });
  expect(response.status()).toBe(200);
  return response.json();
}

/** Through the login page, with a directory username and password. */
async function directorySignIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await hydrated(page);
  await expect(page.locator('#directory-hint')).toContainText('Example directory');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Through the provider's pages, as `account` of the test provider. */
async function ssoSignIn(page: Page, account: string, next = '/') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByRole('link', { name: `Sign in with ${SSO_NAME}` }).click();
  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/interaction/`));
  await page.getByLabel('Account').fill(account);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Changes the directory as its administrator would (the group's members). */
function ldapModify(ldif: string) {
  execFileSync('ldapmodify', ['-x', '-H', `ldap://127.0.0.1:${LDAP_PORT}`, '-D', 'cn=admin,dc=example,dc=com', '-w', 'admin-password'], { input: ldif });
}

test('an end user signs in with the directory and sees exactly the rooms their directory email owns', async ({ page }) => {
  await directorySignIn(page, 'alice', 'alice-password');
  await expect(page.locator('#current-user')).toHaveText('ldap:alice');
  expect(await me(page)).toMatchObject({ username: 'ldap:alice', role: 'user', tenant: null });
  await expect(page).toHaveURL(/\/rooms/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My meeting rooms');
  // The list is the server's, scoped by the email the directory gave: compare with the admin's
  // view of rooms owned by alice.olsen@example.com.
  const mine = await (await page.request.post('/api/rooms/list', { data: { query: { limit: 100, offset: 0 } } })).json();
  expect(mine.meta.total_count, JSON.stringify(mine)).toBeGreaterThan(0);
  for (const room of mine.objects) expect(room.primary_owner_email_address).toBe('alice.olsen@example.com');
});

test('directory groups decide the role and tenant, and leaving a group downgrades at the next sign-in', async ({ page }) => {
  await directorySignIn(page, 'helen', 'helen-password');
  await expect(page.locator('#current-user')).toHaveText('ldap:helen');
  expect(await me(page)).toMatchObject({ role: 'helpdesk', tenant: null });
  await page.context().clearCookies();

  await directorySignIn(page, 'andy', 'andy-password');
  await expect(page.locator('#current-user')).toHaveText('ldap:andy');
  expect(await me(page)).toMatchObject({ role: 'tenant_admin', tenant: 'Acme Corporation' });
  await page.context().clearCookies();

  await directorySignIn(page, 'movable', 'movable-password');
  await expect(page.locator('#current-user')).toHaveText('ldap:movable');
  expect(await me(page)).toMatchObject({ role: 'helpdesk' });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  ldapModify('dn: cn=video-helpdesk,ou=groups,dc=example,dc=com\nchangetype: modify\ndelete: member\nmember: uid=movable,ou=people,dc=example,dc=com\n');
  try {
    await directorySignIn(page, 'movable', 'movable-password');
    await expect(page.locator('#current-user')).toHaveText('ldap:movable');
    expect(await me(page)).toMatchObject({ role: 'user' });
  } finally {
    ldapModify('dn: cn=video-helpdesk,ou=groups,dc=example,dc=com\nchangetype: modify\nadd: member\nmember: uid=movable,ou=people,dc=example,dc=com\n');
  }
});

test('the directory refuses wrong passwords, filter injection and empty passwords alike', async ({ page }) => {
  for (const [username, password] of [['alice', 'wrong-password'], ['*', 'alice-password'], ['alice)(uid=*', 'alice-password']]) {
    const response = await page.request.post('/api/auth/login', { form: { username, password, next: '/' } });
    expect(response.status(), username).toBe(400);
    expect(await response.text()).toContain('Wrong username or password.');
  }
  // An empty password never binds (an anonymous bind would "succeed").
  const empty = await page.request.post('/api/auth/login', { form: { username: 'alice', password: '', next: '/' } });
  expect(empty.status()).toBe(400);
  expect(await me(page)).toBeNull();
  // The person whose name holds filter characters signs in as themselves.
  await directorySignIn(page, 'eve*)(uid=*', 'eve-password');
  await expect(page.locator('#current-user')).toHaveText('ldap:eve___uid__');
  expect(await me(page)).toMatchObject({ role: 'user' });
});

test('single sign-on: the provider round trip lands in the right role, and signing out ends both sessions', async ({ page }) => {
  await ssoSignIn(page, 'olivia', '/rooms');
  await expect(page.locator('#current-user')).toHaveText('example-sso:olivia');
  await expect(page).toHaveURL(/\/rooms$/);
  expect(await me(page)).toMatchObject({ username: 'example-sso:olivia', role: 'helpdesk' });
  // No token or code is left in the address or the page.
  expect(page.url()).not.toContain('code=');

  // RP-initiated logout: the provider asks, then sends the browser back to the login page.
  // Here through the wasm (the server function's redirect followed by the page); below, the
  // same as a plain form before any wasm runs.
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/`));
  await page.getByRole('button', { name: /sign me out/i }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect(await me(page)).toBeNull();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  // What a phone does that taps before the wasm has arrived: every step is a plain link, form
  // post or redirect, and the sign-out form's redirect to the provider is one the page's
  // Content-Security-Policy allows (`form-action` names the provider; it once held the browser
  // on the page after a 302 it refused).
  test('single sign-on: signing in and out at the provider works as plain HTML', async ({ page }) => {
    await page.goto('/login?next=%2Frooms');
    await page.getByRole('link', { name: `Sign in with ${SSO_NAME}` }).click();
    await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/interaction/`));
    await page.getByLabel('Account').fill('olivia');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/rooms$/);
    await expect(page.locator('#current-user')).toHaveText('example-sso:olivia');
    const policy = (await page.request.get('/rooms')).headers()['content-security-policy'];
    expect(policy).toContain(`form-action 'self' ${OIDC_ISSUER};`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/`));
    await page.getByRole('button', { name: /sign me out/i }).click();
    await expect(page).toHaveURL(/\/login$/);
    expect(await me(page)).toBeNull();
  });
});

test('single sign-on: a group makes a tenant admin, an unverified email is not trusted, next stays on this site', async ({ page }) => {
  await ssoSignIn(page, 'oscar', 'https://evil.example/');
  await expect(page.locator('#current-user')).toHaveText('example-sso:oscar');
  expect(new URL(page.url()).origin).toBe(new URL(page.url()).origin);
  expect(page.url()).not.toContain('evil.example');
  expect(await me(page)).toMatchObject({ role: 'tenant_admin', tenant: 'Acme Corporation' });
  await page.context().clearCookies();

  // Claims alice.olsen@example.com without the provider verifying it: without a verified email
  // and without a group, the portal refuses (instead of handing over Alice's rooms).
  await ssoSignIn(page, 'unverified');
  await expect(page).toHaveURL(/\/login\?sso_error=refused/);
  await expect(page.locator('#login-error')).toContainText('no verified email address');
  expect(await me(page)).toBeNull();
});

test('single sign-on callbacks that were not started here fail safely', async ({ page }) => {
  // A forged callback (no pending sign-in with this state): back to the login page, signed out.
  await page.goto('/auth/oidc/example-sso/callback?code=forged&state=forged');
  await expect(page).toHaveURL(/\/login\?sso_error=expired/);
  expect(await me(page)).toBeNull();
  // The provider's error answer.
  await page.goto('/auth/oidc/example-sso/callback?error=access_denied&state=x');
  await expect(page).toHaveURL(/\/login\?sso_error=/);
  await expect(page.locator('#login-error')).toBeVisible();
  // An unknown provider.
  await page.goto('/auth/oidc/nobody/start');
  await expect(page).toHaveURL(/\/login\?sso_error=unknown/);
  // A callback replayed after a successful sign-in.
  const callbacks: string[] = [];
  page.on('request', (request) => { if (request.url().includes('/callback?')) callbacks.push(request.url()); });
  await ssoSignIn(page, 'alice');
  await expect(page.locator('#current-user')).toHaveText('example-sso:alice');
  await page.context().clearCookies();
  expect(callbacks.length).toBe(1);
  await page.goto(callbacks[0]);
  await expect(page).toHaveURL(/\/login\?sso_error=expired/);
  expect(await me(page)).toBeNull();
});

test('demo mode lists a person of each role who can sign in with the demo password', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  const people = page.locator('#demo-people');
  await expect(people).toContainText('demo-helpdesk');
  await expect(people).toContainText('demo-acme-admin');
  await expect(people).toContainText('alice.olsen');
  await page.getByRole('button', { name: 'Use demo-acme-admin' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.locator('#current-user')).toHaveText('demo-acme-admin');
  expect(await me(page)).toMatchObject({ role: 'tenant_admin', tenant: 'Acme Corporation' });
});
