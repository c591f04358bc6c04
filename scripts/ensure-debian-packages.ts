import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Debian packages the tests use, installed when missing and possible (root with apt-get):
 * chromium for the Web UI screenshot test, docker-compose to check docker-compose.yml (no engine needed).
 * Never fails the install: without them those checks skip and say why.
 */
const wanted = [
  { name: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { name: 'docker-compose', present: () => spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0 },
];

const missing = wanted.filter((pkg) => !pkg.present()).map((pkg) => pkg.name);
const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.ORCA_SKIP_APT;
if (missing.length === 0) {
  // Everything is there.
} else if (!canInstall) {
  console.error(`Not installing ${missing.join(', ')} (needs root and apt-get): the tests that use them will say they skipped.`);
} else {
  console.error(`Installing ${missing.join(', ')} with apt-get (once)...`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (error) {
    console.error(`apt-get could not install ${missing.join(', ')}: ${(error as Error).message}. The tests that use them will say they skipped.`);
  }
}
