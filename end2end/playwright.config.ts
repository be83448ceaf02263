import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The portal under test: the binary `cargo leptos build` produced, started by Playwright,
// polled on /readyz until it answers, and always stopped at the end of the run.
const root = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const serverBin = process.env.E2E_SERVER_BIN ?? path.join(targetDir, 'debug', 'server');
const addr = process.env.E2E_ADDR ?? '127.0.0.1:3100';
const baseURL = `http://${addr}`;
// A fresh data folder per run: a new accounts database whose first admin gets this password.
const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-'));
export const ADMIN_PASSWORD = 'e2e-admin-password';

// Identity sources for the sign-in specs, started on loopback by the project's own scripts: a
// throwaway OpenLDAP (global-setup.ts, scripts/ldap-test-server.sh) and the test OpenID
// provider (end2end/oidc/provider.mjs, a web server below).
export const LDAP_PORT = Number(process.env.E2E_LDAP_PORT ?? 3189);
export const LDAPS_PORT = Number(process.env.E2E_LDAPS_PORT ?? 3190);
export const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3102);
export const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;
export const SSO_ID = 'example-sso';
export const SSO_NAME = 'Example SSO';
const portalConfig = path.join(dataDir, 'portal.toml');
fs.writeFileSync(portalConfig, `
[server]
public_url = "${baseURL}"

# The live specs check that a joining call shows within 2 s: poll every second.
[live]
poll_interval_secs = 1

[ldap]
url = "ldap://127.0.0.1:${LDAP_PORT}"
name = "Example directory"
bind_dn = "cn=portal,ou=services,dc=example,dc=com"
bind_password = "portal-service-password"
user_base = "ou=people,dc=example,dc=com"
user_filter = "(uid={username})"

[[oidc.providers]]
id = "${SSO_ID}"
name = "${SSO_NAME}"
issuer = "${OIDC_ISSUER}"
client_id = "portal"
client_secret = "portal-secret"

[[roles.rules]]
group = "video-helpdesk"
role = "helpdesk"

[[roles.rules]]
group = "acme-video-admins"
role = "tenant_admin"
tenant = "acme"

[[roles.rules]]
group = "globex-video-admins"
role = "tenant_admin"
tenant = "globex"

[[roles.rules]]
group = "video-admins"
role = "admin"
`);

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'retain-on-failure',
  },
  // Restoring a backup replaces the demo deployment's configuration, which would pull rooms
  // from under the specs running beside it: the backups spec runs alone, after all the others.
  projects: [
    { name: 'portal', testIgnore: /backups\.spec\.ts/ },
    { name: 'restore', testMatch: /backups\.spec\.ts/, dependencies: ['portal'] },
  ],
  globalSetup: require.resolve('./global-setup'),
  globalTeardown: require.resolve('./global-teardown'),
  webServer: [{
    command: 'node oidc/provider.mjs',
    cwd: __dirname,
    url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      OIDC_PORT: String(OIDC_PORT),
      OIDC_REDIRECT_URIS: `${baseURL}/auth/oidc/${SSO_ID}/callback`,
    },
  }, {
    command: `"${serverBin}" --config "${portalConfig}"`,
    cwd: root,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      LEPTOS_SITE_ADDR: addr,
      LEPTOS_SITE_ROOT: path.join(root, 'target', 'site'),
      // The bundle's content-hashed names (cargo-leptos `hash-files`) are listed in the hash.txt
      // the build wrote beside the built binary; E2E_SERVER_BIN may be a copy elsewhere.
      LEPTOS_HASH_FILE_NAME: process.env.E2E_HASH_FILE ?? path.join(targetDir, 'debug', 'hash.txt'),
      RUST_LOG: process.env.RUST_LOG ?? 'info',
      PORTAL_DATA_DIR: dataDir,
      PORTAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
  }],
});
