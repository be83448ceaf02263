import { test as base, type APIRequestContext, type Page } from '@playwright/test';
import { test, expect, hydrated, signIn, ADMIN_PASSWORD } from './fixtures';

// End users' room cards (`/rooms` for the `user` role) at a phone's width: how to join each room
// (aliases as dial strings, the web app link and its QR code), copy buttons, the invitation, the
// PINs changed in place, and "Email me my room details"; helpdesk emails someone's room.
// Names are unique per run, so the spec runs beside the others against one portal.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const PHONE = { width: 390, height: 844 };

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

/** As admin: an account with this role (and email); returns its password. */
async function account(request: APIRequestContext, username: string, role: string, email = '') {
  const password = `${username}-password`;
  const created = await request.post('/api/users/create', {
    form: { username, password, role, tenant_id: '', email },
  });
  expect(created.status(), await created.text()).toBe(200);
  return password;
}

/** As admin: a room; returns its id. */
async function room(request: APIRequestContext, fields: Record<string, unknown>): Promise<number> {
  const response = await api(request, 'rooms/create', { fields });
  expect(response.status(), await response.text()).toBe(200);
  return Number(await response.json());
}

/** Waits until the wasm has taken over the room cards (it may come after the document). */
async function cardsHydrated(page: Page) {
  await hydrated(page);
  await expect(page.locator('#room-cards[data-hydrated="true"]')).toHaveCount(1);
}

/** Waits until the wasm has taken over the email button of a room's page. */
async function emailHydrated(page: Page) {
  await hydrated(page);
  await expect(page.locator('[data-email-button][data-hydrated="true"]')).toHaveCount(1);
}

/** Whether the page scrolls sideways. */
async function scrollsSideways(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/** The room details emails `username` sent, from the audit trail, newest first (as admin). */
async function emailsSent(request: APIRequestContext, username: string) {
  const response = await request.post('/api/audit/list', {
    form: { username, action: 'room.send_email', limit: '100', offset: '0' },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).events as { username: string; resource_uri: string; result: string; changes: any }[];
}

test.describe('an end user on a phone', () => {
  test.use({ viewport: PHONE });

  // The refused PIN's 400 is logged by the browser, so this flow does without the console check.
  base('lands on their room cards, joins, copies, changes the PIN in place and emails the details', async ({ page, context, request }) => {
    const user = `cards-${run}`;
    const email = `${user}@example.com`;
    const number = String(Math.floor(Math.random() * 9e8) + 1e8);
    await adminRequest(request);
    const password = await account(request, user, 'user', email);
    const alias = `meet-${run}@example.com`;
    const mine = await room(request, {
      name: `Cards ${run} main`, description: 'My everyday room', primary_owner_email_address: email,
      pin: '1111', allow_guests: true, guest_pin: '2222',
      aliases: [{ alias, description: 'Email-style alias' }, { alias: number }],
    });
    const second = await room(request, { name: `Cards ${run} second`, primary_owner_email_address: email, aliases: [{ alias: `second-${run}@example.com` }] });
    await room(request, { name: `Cards ${run} not mine`, primary_owner_email_address: `someone-${run}@example.com` });

    // Signing in lands on the cards.
    await signIn(page, user, password);
    await expect(page).toHaveURL(/\/rooms$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('My meeting rooms');
    await cardsHydrated(page);
    const cards = page.locator('[data-room-card]');
    await expect(cards).toHaveCount(2);
    await expect(page.locator('#room-cards')).not.toContainText('not mine');
    await expect(page.locator('#rooms')).toHaveCount(0);

    const card = page.locator(`[data-room-card="${mine}"]`);
    await expect(card.getByRole('heading', { level: 2 })).toHaveText(`Cards ${run} main`);
    await expect(card.locator('[data-room-type]')).toHaveText('Virtual Meeting Room');
    await expect(card).toContainText('My everyday room');
    // Each alias as a dial string, with its SIP and H.323 forms.
    await expect(card.locator(`[data-alias="${alias}"] code`)).toHaveText(alias);
    await expect(card.locator(`[data-alias="${alias}"] [data-sip]`)).toHaveText(alias);
    await expect(card.locator(`[data-alias="${number}"] [data-sip]`)).toHaveText(`${number}@example.com`);
    await expect(card.locator(`[data-alias="${number}"] [data-h323]`)).toHaveText(number);
    // The web app link (demo mode's template) and its QR code.
    const link = `https://meet.example.com/webapp/m/${alias}`;
    await expect(card.locator(`#card-${mine}-link`)).toHaveAttribute('href', link);
    const qr = card.getByRole('img', { name: `QR code of the join link of Cards ${run} main` });
    await expect(qr).toBeVisible();
    expect(await qr.evaluate((svg) => svg.tagName.toLowerCase())).toBe('svg');
    expect((await qr.locator('path').getAttribute('d'))?.length).toBeGreaterThan(100);

    // Copy: to the clipboard, with a visible "Copied".
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const copyLink = card.getByRole('button', { name: /^Cop(y|ied) the join link$/ });
    await expect(copyLink).toHaveText('Copy the join link');
    await copyLink.click();
    await expect(copyLink).toHaveText('Copied the join link');
    await expect(copyLink).toHaveAttribute('data-copied', 'true');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    // The invitation: link, dial strings and the guest PIN; the host PIN only when asked.
    const invitation = card.locator(`#card-${mine}-invitation`);
    await expect(invitation).toContainText(link);
    await expect(invitation).toContainText(number);
    await expect(invitation).toContainText('Guests: enter the PIN 2222 when asked.');
    await expect(invitation).not.toContainText('1111');
    await card.getByLabel('Include the host PIN').check();
    await expect(invitation).toContainText('Host PIN: 1111');
    const copyInvitation = card.getByRole('button', { name: /^Cop(y|ied) the invitation$/ });
    await copyInvitation.click();
    await expect(copyInvitation).toHaveText('Copied the invitation');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('Host PIN: 1111');

    // The PIN changed in place: the server's refusal at the field, then a good one.
    const pin = card.locator(`#card-${mine}-pin`);
    await expect(pin).toHaveValue('1111');
    await pin.fill('12ab');
    await card.getByRole('button', { name: 'Save PINs' }).click();
    const pinError = card.locator(`#card-${mine}-pin-error`);
    await expect(pinError).toContainText('Enter digits only');
    await expect(pin).toHaveAttribute('aria-invalid', 'true');
    await pin.fill('4321');
    await expect(pinError).toBeEmpty();
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/rooms/update'));
    await card.getByRole('button', { name: 'Save PINs' }).click();
    expect((await sent).postDataJSON()).toEqual({ id: mine, changes: { pin: '4321' } });
    await expect(card.locator(`#card-${mine}-saved`)).toHaveText('Saved.');
    await expect(invitation).toContainText('Host PIN: 4321');
    const stored = await (await api(request, 'rooms/get', { id: mine })).json();
    expect(stored.pin).toBe('4321');
    // Guest access too.
    await card.locator(`#card-${mine}-guest_pin`).fill('');
    const cleared = page.waitForResponse((r) => r.url().endsWith('/api/rooms/update'));
    await card.getByRole('button', { name: 'Save PINs' }).click();
    expect((await cleared).status()).toBe(200);
    await expect(card.locator(`#card-${mine}-saved`)).toHaveText('Saved.');
    await expect(invitation).toContainText('Guests: when asked for a PIN, press #.');
    expect(['', null]).toContain((await (await api(request, 'rooms/get', { id: mine })).json()).guest_pin);

    // "Email me my room details": the Management Node is asked (and the trail says so).
    expect(await emailsSent(request, user)).toEqual([]);
    await card.getByRole('button', { name: 'Email me my room details' }).click();
    await expect(card.locator('[data-email-status]')).toHaveText(`Sent to ${email}. It usually arrives within a few minutes.`);
    const emails = await emailsSent(request, user);
    expect(emails.length).toBe(1);
    expect(emails[0].resource_uri).toBe(`/api/admin/configuration/v1/conference/${mine}/`);
    expect(emails[0].result).toBe('ok');
    expect(emails[0].changes.email.after.to).toBe(email);

    // The second card is there too, and nothing made the phone-width page scroll sideways.
    await expect(page.locator(`[data-room-card="${second}"]`)).toContainText(`second-${run}@example.com`);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: base.info().outputPath('room-cards-390.png'), fullPage: true });

    // Home sends end users to their rooms.
    await page.goto('/');
    await expect(page).toHaveURL(/\/rooms$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('My meeting rooms');
  });

  test('copying without clipboard access selects the text instead', async ({ page, request }) => {
    const user = `cards-fallback-${run}`;
    const email = `${user}@example.com`;
    await adminRequest(request);
    const password = await account(request, user, 'user', email);
    const id = await room(request, { name: `Fallback ${run}`, primary_owner_email_address: email, aliases: [{ alias: `fallback-${run}@example.com` }] });
    await signIn(page, user, password, '/rooms');
    await cardsHydrated(page);
    // A browser that refuses the clipboard.
    await page.evaluate(() => {
      Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new Error('denied')) });
    });
    const card = page.locator(`[data-room-card="${id}"]`);
    await card.getByRole('button', { name: 'Copy the alias' }).click();
    await expect(card).toContainText('Selected: press Ctrl+C');
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(`fallback-${run}@example.com`);
  });
});

// The ownerless room's refusal (a 400) is logged by the browser: no console check here.
base('helpdesk emails the details of someone else\'s room', async ({ page, request }) => {
  const agent = `cards-helpdesk-${run}`;
  const owner = `owner-${run}@example.com`;
  await adminRequest(request);
  const password = await account(request, agent, 'helpdesk');
  const id = await room(request, { name: `Helpdesk email ${run}`, primary_owner_email_address: owner });
  const ownerless = await room(request, { name: `Ownerless ${run}` });

  await signIn(page, agent, password, `/rooms/${id}`);
  await emailHydrated(page);
  await page.getByRole('button', { name: 'Email the room details to the owner' }).click();
  await expect(page.locator('[data-email-status]')).toHaveText(`Sent to ${owner}. It usually arrives within a few minutes.`);
  const emails = await emailsSent(request, agent);
  expect(emails.length).toBe(1);
  expect(emails[0].changes.email.after.to).toBe(owner);

  // A room without an owner: said so clearly, nothing sent.
  await page.goto(`/rooms/${ownerless}`);
  await emailHydrated(page);
  await page.getByRole('button', { name: 'Email the room details to the owner' }).click();
  await expect(page.locator('[data-email-status]')).toContainText('This room has no owner email address');
  expect((await emailsSent(request, agent)).length).toBe(1);
});
