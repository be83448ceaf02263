import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LDAP_DIR_FILE } from './global-setup';

export default function globalTeardown() {
  if (!fs.existsSync(LDAP_DIR_FILE)) return;
  const dir = fs.readFileSync(LDAP_DIR_FILE, 'utf8');
  const script = path.resolve(__dirname, '..', 'scripts', 'ldap-test-server.sh');
  execFileSync('bash', [script, 'stop', dir], { stdio: 'inherit' });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(LDAP_DIR_FILE, { force: true });
}
