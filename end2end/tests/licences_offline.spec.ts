import { readFile } from 'node:fs/promises';
import { test, expect, hydrated, signIn } from './fixtures';

// Offline licensing on the licences page, against the simulator: request → download the
// request document → (Pexip's licensing portal) → upload the response document, for an
// activation and for a return; a bad response document is refused; non-admins get nothing.
test.describe.configure({ mode: 'serial' });

const HELPDESK = 'licence-helpdesk';
const HELPDESK_PASSWORD = 'licence-helpdesk-password';

const hex = () => Math.floor(Math.random() * 0x10000).toString(16).toUpperCase().padStart(4, '0');

test('an admin activates a licence offline and returns it offline', async ({ page }) => {
  // (No console-error check: the refused document below is a 400 the browser logs.)
  await signIn(page, 'admin', undefined, '/licences');
  await hydrated(page);
  const steps = page.locator('#offline-steps > li');
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0)).toContainText('Ask the node for a request document');
  await expect(steps.nth(1)).toContainText('Download the request document');
  await expect(steps.nth(2)).toContainText("Pexip's licensing portal");
  await expect(steps.nth(3)).toContainText('Upload the response document');

  // 1. Request an offline activation.
  const key = `0FF1-${hex()}-${hex()}-${hex()}`;
  await page.getByLabel('Entitlement key to activate offline').fill(key);
  await page.getByRole('button', { name: 'Request offline activation' }).click();
  const requested = page.getByRole('status').filter({ hasText: /^Request \d+ is pending/ });
  await expect(requested).toBeVisible();
  const number = (await requested.textContent())!.match(/Request (\d+)/)![1];
  const pending = page.locator('#licence-requests tr', { hasText: key });
  await expect(pending).toContainText('Activation');
  await expect(pending).toContainText('Waiting for the response document');
  await expect(page.locator('#licences tr', { hasText: key })).toHaveCount(0);

  // 2. Download its request document (from the portal, which asked the node).
  const downloading = page.waitForEvent('download');
  await pending.getByRole('link', { name: `Download the request document of request ${number}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`pexip-licence-request-${number}.xml`);
  const document = await readFile((await download.path())!, 'utf8');
  expect(document).toContain('<LicenseRequest action="activate"');
  expect(document).toContain(key);

  // 4. Choose the response document file: its text fills the form; upload it.
  await page.getByLabel('Pending request').selectOption(number);
  await page.getByLabel('Response document file').setInputFiles({
    name: 'response.xml',
    mimeType: 'application/xml',
    buffer: Buffer.from(`<LicenseResponse>${key}</LicenseResponse>\n`),
  });
  await expect(page.getByLabel('Response document', { exact: true })).toHaveValue(`<LicenseResponse>${key}</LicenseResponse>\n`);
  await page.getByRole('button', { name: 'Upload response document' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The response document was applied' })).toBeVisible();
  const installed = page.locator('#licences tr', { hasText: key });
  await expect(installed).toContainText('Activated');
  await expect(page.locator('#licence-requests tr', { hasText: key })).toHaveCount(0);

  // Return it offline: it stays installed until the response document is uploaded.
  await installed.getByRole('button', { name: `Return offline ${key}` }).click();
  await page.getByRole('button', { name: 'Yes, return offline' }).click();
  const returning = page.getByRole('status').filter({ hasText: /^Return request \d+ is pending/ });
  await expect(returning).toBeVisible();
  const returnNumber = (await returning.textContent())!.match(/Return request (\d+)/)![1];
  const returnRow = page.locator('#licence-requests tbody tr', { has: page.getByRole('cell', { name: returnNumber, exact: true }) });
  await expect(returnRow).toContainText('Return');
  await expect(installed).toHaveCount(1);

  // A response document that is not text is refused, with the reason, and nothing changes.
  await page.getByLabel('Pending request').selectOption(returnNumber);
  await page.getByLabel('Response document', { exact: true }).fill('PK\u0003\u0004 not a response');
  await page.getByRole('button', { name: 'Upload response document' }).click();
  await expect(page.getByRole('alert')).toContainText('must be text');
  await expect(returnRow).toHaveCount(1);
  await expect(installed).toHaveCount(1);

  // Pasted text works as well as a file.
  await page.getByLabel('Pending request').selectOption(returnNumber);
  await page.getByLabel('Response document', { exact: true }).fill('<LicenseResponse>returned</LicenseResponse>');
  await page.getByRole('button', { name: 'Upload response document' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The response document was applied' })).toBeVisible();
  await expect(page.locator('#licences tr', { hasText: key })).toHaveCount(0);
  await expect(returnRow).toHaveCount(0);

  await page.goto('/audit?action=licence.offline');
  const audit = page.locator('#audit-events');
  await expect(audit).toContainText('licence.offline_activate');
  await expect(audit).toContainText('licence.offline_return');
  await expect(audit).toContainText('licence.offline_complete');
});

test('the offline steps are rendered on the server', async ({ page, browser }) => {
  await signIn(page, 'admin', undefined, '/');
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await context.newPage();
  await plain.goto('/licences');
  await expect(plain.locator('#offline-steps > li')).toHaveCount(4);
  await context.close();
});

test('only admins reach offline licensing', async ({ page }) => {
  await signIn(page, 'admin', undefined, '/');
  const created = await page.request.post('/api/users/create', {
    form: { username: HELPDESK, password: HELPDESK_PASSWORD, role: 'helpdesk', tenant_id: '', email: '' },
  });
  expect(created.status()).toBe(200);
  const asked = await page.request.post('/api/licences/offline/activate', { form: { entitlement_id: `0FF2-${hex()}-${hex()}-${hex()}` } });
  expect(asked.status()).toBe(200);
  const number: string = await asked.json();
  // Bad request numbers are refused before the node is asked.
  expect((await page.request.get('/api/licences/requests/..%2F1/document')).status()).toBe(400);
  expect((await page.request.get(`/api/licences/requests/${number}/document`)).status()).toBe(200);
  await page.context().clearCookies();
  expect((await page.request.get(`/api/licences/requests/${number}/document`)).status()).toBe(401);

  await signIn(page, HELPDESK, HELPDESK_PASSWORD, '/');
  expect((await page.request.get(`/api/licences/requests/${number}/document`)).status()).toBe(403);
  expect((await page.request.post('/api/licences/requests', { form: {} })).status()).toBe(403);
  const complete = await page.request.post('/api/licences/offline/complete', {
    form: { sequence_number: number, response: '<LicenseResponse/>' },
  });
  expect(complete.status()).toBe(403);
  expect((await page.request.post('/api/licences/offline/return', { form: { fulfillment_id: '1234567890' } })).status()).toBe(403);
});
