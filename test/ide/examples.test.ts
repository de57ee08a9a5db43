import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMMUNITIES, DEMO_RESIDENT, SHUIBEI } from '../../shared/dev/demo';
import { ROOT_DIR } from '../../shared/platform/schema';
import { contractExamples, EXAMPLE_VARIABLES } from '../../gateway/ide/serve';

/*
 * The IDE's example variables are configuration (gateway/ide/example-variables.json), not the
 * demo seed: production code reads no demo data. The committed values still answer with data on
 * the demo seed (the IDE browser test runs the tabs against it).
 */

/** Every .ts file under `dir` (recursively). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' || name === 'node_modules' ? [] : sources(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

it('no production code imports the demo data (seeds are dev tooling)', () => {
  const production = ['gateway', 'shared/platform', 'shared/subgraph', 'subgraphs']
    .flatMap((d) => sources(path.join(ROOT_DIR, d)))
    .filter((f) => !/[\\/]seed(-[a-z-]+)?\.ts$/.test(f));
  expect(production.length).toBeGreaterThan(100);
  const offenders = production.filter((f) => /from\s+['"][^'"]*shared\/dev\/demo['"]/.test(readFileSync(f, 'utf8')));
  expect(offenders.map((f) => path.relative(ROOT_DIR, f))).toEqual([]);
});

it('the example tabs take their variables from the configured file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ide-examples-'));
  const file = path.join(dir, 'vars.json');
  writeFileSync(file, JSON.stringify({ communityCode: '440307001001', lotId: 'PL-PD-02' }));
  const examples = contractExamples(undefined, file);
  expect(JSON.parse(examples.find((x) => x.name === 'LiveRequests')!.variables)).toEqual({ communityCode: '440307001001' });
  const withLot = examples.find((x) => x.query.includes('$lotId'));
  expect(JSON.parse(withLot!.variables).lotId).toBe('PL-PD-02');
  // A missing file: the tabs without variables (except the computed arrival time), not an error.
  const bare = contractExamples(undefined, path.join(dir, 'none.json'));
  expect(JSON.parse(bare.find((x) => x.name === 'LiveRequests')!.variables)).toEqual({});
});

it('the committed values name the demo seed’s Shuibei community and the demo resident’s plate', () => {
  const values = JSON.parse(readFileSync(EXAMPLE_VARIABLES, 'utf8'));
  const shuibei = COMMUNITIES.find((c) => c.code === SHUIBEI)!;
  expect(values).toMatchObject({ code: SHUIBEI, communityCode: SHUIBEI, lat: shuibei.lat, lng: shuibei.lng, plate: DEMO_RESIDENT.plate });
  expect(values.input.communityCode).toBe(SHUIBEI);
});
