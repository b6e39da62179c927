#!/usr/bin/env node
// Installs what the tests need beyond npm packages: Debian's chromium for the HTML report's browser tests.
// Idempotent; prints what it does. Needs root (as on CI and the dev machines) to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM)) {
  console.log(`test-setup: ${CHROMIUM} present`);
} else if (process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log('test-setup: installing Debian chromium (apt-get)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error('test-setup: apt-get install chromium failed');
    process.exit(1);
  }
} else {
  console.log('test-setup: chromium missing and cannot install it here (needs root + apt-get); browser tests will be skipped');
}
