import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LDAP_PORT, LDAPS_PORT } from './playwright.config';

// A throwaway OpenLDAP for the sign-in specs (seeded from end2end/ldap/*.ldif), stopped by
// global-teardown.ts.
export const LDAP_DIR_FILE = path.join(os.tmpdir(), `portal-e2e-ldap-${LDAP_PORT}.dir`);

export default function globalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-ldap-'));
  const script = path.resolve(__dirname, '..', 'scripts', 'ldap-test-server.sh');
  execFileSync('bash', [script, 'start', dir, String(LDAP_PORT), String(LDAPS_PORT)], { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.writeFileSync(LDAP_DIR_FILE, dir);
}
