import { test, expect, hydrated, signIn } from './fixtures';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// File fields of the configuration browser against the demo deployment: a new IVR theme with its
// package (created, then the package PATCHed, in one click), a new package on an existing theme
// with its progress and the refusal of a file that is no ZIP; certificates imported from a PEM
// file; and the upload routes refused to others than admins.
test.describe.configure({ mode: 'serial' });

const HELPDESK = 'uploads-helpdesk';
const HELPDESK_PASSWORD = 'uploads-helpdesk-password';

/** A ZIP archive (one stored file) of about `size` bytes. */
function zip(size: number): Buffer {
  const body = Buffer.alloc(size, 0x61);
  const name = Buffer.from('themeconfig.json');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt32LE(body.length, 18);
  header.writeUInt32LE(body.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name, body]);
}

/** A self-signed certificate and its key (PKCS#8), made by openssl, as one PEM bundle. */
function bundle(commonName: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uploads-pem-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${commonName}`,
    '-addext', `subjectAltName=DNS:${commonName}`,
  ], { stdio: 'ignore' });
  const text = fs.readFileSync(cert, 'utf8') + fs.readFileSync(key, 'utf8');
  fs.rmSync(dir, { recursive: true });
  return text;
}

test('a new IVR theme is created with its package, and a new package replaces it', async ({ page }, testInfo) => {
  // (No console-error check: the refused upload below is a 415 the browser logs.)
  await signIn(page, 'admin', undefined, '/config/ivr_theme/new');
  await hydrated(page);
  await expect(page.locator('#upload-package-help')).toContainText('At most 64 MiB.');
  // (Names are unique on the node: one per repetition.)
  await page.locator('#config-name').fill(`E2E uploaded theme ${testInfo.repeatEachIndex}`);
  await page.getByLabel('Package file').setInputFiles({ name: 'e2e-theme.zip', mimeType: 'application/zip', buffer: zip(4096) });
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/config\/ivr_theme\/\d+$/);
  await expect(page.locator('[data-field="package"], #config-package').first()).toContainText('e2e-theme.zip');

  // A new package: the progress shows while the answer is held back, then the name is read back
  // from the node.
  await hydrated(page);
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/api/config/upload', async (route) => { await held; await route.continue(); });
  await page.getByLabel('New package').setInputFiles({ name: 'e2e-theme-2.zip', mimeType: 'application/zip', buffer: zip(2 * 1024 * 1024) });
  await page.getByRole('button', { name: 'Upload' }).click();
  const progress = page.getByRole('status').filter({ has: page.getByRole('progressbar', { name: 'Upload progress' }) });
  await expect(progress).toContainText(/Upload/);
  await expect(page.getByRole('button', { name: 'Upload' })).toBeDisabled();
  // (The route stays: once released, it lets every later upload through at once.)
  release();
  await expect(page.locator('#upload-done')).toHaveText('The package was uploaded.');
  await expect(progress).toHaveCount(0);
  await expect(page.locator('[data-field="package"], #config-package').first()).toContainText('e2e-theme-2.zip');

  // No ZIP: refused at the field, with the reason.
  await page.getByLabel('New package').setInputFiles({ name: 'page.zip', mimeType: 'application/zip', buffer: Buffer.from('<html>no zip</html>') });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.locator('#upload-package-error')).toHaveText('a theme package must be a ZIP file');

  await page.goto('/audit?action=config.file_upload');
  await expect(page.locator('#audit-events')).toContainText('config.file_upload');
});

test('an admin imports a certificate and its key from a PEM file', async ({ page }) => {
  await signIn(page, 'admin', undefined, '/config');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Import certificates' })).toBeVisible();
  await page.getByLabel('Certificates and keys (PEM)').setInputFiles({
    name: 'node.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(bundle('e2e-node.example.com')),
  });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.locator('#certificates-imported')).toContainText('TLS certificate: CN=e2e-node.example.com');

  // Not PEM: refused before it reaches the node.
  await page.getByLabel('Certificates and keys (PEM)').setInputFiles({ name: 'x.pem', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.locator('#certificates-bundle-error')).toContainText('PEM text');

  await page.goto('/config/tls_certificate');
  await expect(page.locator('#config-objects')).toContainText('e2e-node.example.com');
});

test('the upload routes refuse helpdesk and strangers', async ({ page, playwright, baseURL }) => {
  await signIn(page, 'admin', undefined, '/');
  const created = await page.request.post('/api/users/create', {
    form: { username: HELPDESK, password: HELPDESK_PASSWORD, role: 'helpdesk', tenant_id: '', email: '' },
  });
  expect(created.status()).toBe(200);
  await page.context().clearCookies();
  await signIn(page, HELPDESK, HELPDESK_PASSWORD, '/');
  const upload = await page.request.post('/api/config/upload', {
    multipart: { resource: 'ivr_theme', id: '1', field: 'package', file: { name: 't.zip', mimeType: 'application/zip', buffer: zip(10) } },
  });
  expect(upload.status()).toBe(403);
  const certificates = await page.request.post('/api/certificates/import', {
    multipart: { bundle: { name: 'b.pem', mimeType: 'text/plain', buffer: Buffer.from(bundle('x.example.com')) } },
  });
  expect(certificates.status()).toBe(403);

  const stranger = await playwright.request.newContext({ baseURL });
  expect((await stranger.post('/api/config/upload', { multipart: { resource: 'ivr_theme' } })).status()).toBe(401);
  await stranger.dispose();
});
