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
  webServer: {
    command: `"${serverBin}"`,
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
      RUST_LOG: process.env.RUST_LOG ?? 'info',
      PORTAL_DATA_DIR: dataDir,
      PORTAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
  },
});
