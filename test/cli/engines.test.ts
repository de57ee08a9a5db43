import { readFileSync } from 'node:fs';
import path from 'node:path';

// semver ships no types of its own; this is the part of its API the test uses.
const semver = require('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

/**
 * `npm ci` warns EBADENGINE when an installed package wants a newer Node than the one running it.
 * The lock file records every package's `engines`, so this checks, without installing anything,
 * that the oldest Node our package.json accepts (the one the README states) satisfies them all.
 */
describe('engines', () => {
  const pkg = read('package.json') as { engines: { node: string } };
  const oldest = semver.minVersion(pkg.engines.node)!.version;

  it('no locked package needs a newer Node than package.json engines.node', () => {
    const lock = read('package-lock.json') as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };
    const tooNew = Object.entries(lock.packages)
      .filter(([where, info]) => where && info.engines && !Array.isArray(info.engines) && info.engines.node)
      .filter(([, info]) => !semver.satisfies(oldest, (info.engines as { node: string }).node))
      .map(([where, info]) => `${where.replace(/^.*node_modules\//, '')}@${info.version} wants node ${(info.engines as { node: string }).node}`);
    expect(tooNew).toEqual([]);
  });

  it('the README states the same Node', () => {
    const [major, minor] = oldest.split('.');
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`Node ${major}.${minor}`);
  });
});
