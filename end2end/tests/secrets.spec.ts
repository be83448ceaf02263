import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD } from '../playwright.config';

// What `cargo leptos build` put in the site (the wasm, its JS glue, the CSS) holds no server
// configuration: no configuration key that only the server reads (their presence would mean server
// config code or values were compiled into the browser bundle) and no password. The served files
// are the same bytes. The Management Node password, the directory's bind password, the OpenID
// client secret and the sign-ins' codes and tokens at run time are checked by the Rust test
// server/tests/portal/secrets.rs (answers, headers and log lines of the real binary).
const pkgDir = path.resolve(__dirname, '..', '..', 'target', 'site', 'pkg');

// Names only the server's configuration uses (see the README's configuration table).
const SERVER_ONLY = [
  'password_file',
  'insecure_skip_verify',
  'max_retry_after_secs',
  'acquire_timeout_secs',
  'absolute_timeout_secs',
  'max_failures_per_account',
  'redis_url',
  'webapp_url',
  'admin_password',
  'PORTAL_PEXIP',
  'PORTAL_ADMIN_PASSWORD',
  'PORTAL_DATABASE',
  // The identity sources: [ldap], [[oidc.providers]] and what only their server code says.
  'bind_password',
  'bind_dn',
  'user_filter',
  'group_filter',
  'client_secret',
  'email_authoritative',
  'PORTAL_LDAP',
  'PORTAL_OIDC',
  'code_verifier',
  'id_token_hint',
  'BEGIN CERTIFICATE',
  'BEGIN PRIVATE KEY',
];

function secrets(): string[] {
  // The admin password, and the bind password and client secret in the portal.toml that
  // playwright.config.ts writes for the identity specs.
  const values = [ADMIN_PASSWORD, 'portal-service-password', 'portal-secret'];
  // Passwords in the build's environment, if any were set, must not have been compiled in.
  for (const key of ['PORTAL_PEXIP__PASSWORD', 'PORTAL_ADMIN_PASSWORD', 'PORTAL_LDAP__BIND_PASSWORD']) {
    const value = process.env[key];
    if (value) values.push(value);
  }
  return values;
}

function bundleFiles(): string[] {
  if (!fs.existsSync(pkgDir)) {
    throw new Error(`${pkgDir} does not exist: run \`cargo leptos build\` (make build) first`);
  }
  const files = fs
    .readdirSync(pkgDir)
    .filter((name) => /\.(wasm|js|css)$/.test(name))
    .map((name) => path.join(pkgDir, name));
  return files;
}

test('the built wasm, js and css hold no server configuration and no password', async ({ request }) => {
  const files = bundleFiles();
  const kinds = new Set(files.map((f) => path.extname(f)));
  expect([...kinds].sort(), `bundle files in ${pkgDir}`).toEqual(['.css', '.js', '.wasm']);

  // The main wasm, `pexip-portal.<content hash>.wasm` (cargo-leptos `hash-files`).
  const isMainWasm = (name: string) => /^pexip-portal(\.[A-Za-z0-9_-]{22})?\.wasm$/.test(name);
  expect(files.map((f) => path.basename(f)).filter(isMainWasm)).toHaveLength(1);
  const found: string[] = [];
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    // Not vacuous: the main wasm carries the application's own strings (the lazy routes' chunks
    // carry only their pages').
    if (isMainWasm(path.basename(file))) {
      expect(bytes.includes('Sign in'), `${file} holds the UI's text`).toBe(true);
    }
    for (const needle of [...SERVER_ONLY, ...secrets()]) {
      if (bytes.includes(needle)) found.push(`${path.basename(file)}: ${needle}`);
    }
    // What the server sends is what was built.
    const served = await request.get(`/pkg/${path.basename(file)}`);
    expect(served.status()).toBe(200);
    expect(Buffer.compare(await served.body(), bytes), `/pkg/${path.basename(file)} served as built`).toBe(0);
  }
  expect(found, 'server-only strings in the browser bundle').toEqual([]);
});
