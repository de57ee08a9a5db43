import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../../shared/platform/schema';
import { loadFixtures, runSuite, TARGETS, type CaseResult, type TargetName } from './harness';

/*
 * `npm run conformance`: the federation conformance suite against CityGraph's gateway (plain
 * mode) and a stock Apollo Gateway, scores side by side, and test/federation/RESULTS.md.
 */

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
process.env.LOG_LEVEL ??= 'silent';

const LABEL: Record<TargetName, string> = { citygraph: 'CityGraph (plain mode)', 'apollo-gateway': 'stock Apollo Gateway' };

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(path.join(ROOT_DIR, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Markdown lines of the failed results (with their known-gap notes), or "None.". */
function failuresList(results: CaseResult[], gaps: Map<string, string>): string[] {
  const lines = results
    .filter((r) => !r.pass)
    .map((r) => {
      const gap = gaps.get(`${r.fixture}\u0000${r.case}`);
      return `- \`${r.fixture}\` / ${r.case}: ${r.problems.join('; ').replace(/\s+/g, ' ')}${gap ? ` (known gap: ${gap})` : ''}`;
    });
  return lines.length ? lines : ['None.'];
}

async function main(): Promise<void> {
  const started = Date.now();
  const fixtures = loadFixtures();
  const results = await runSuite(fixtures, TARGETS);
  const gaps = new Map(fixtures.flatMap((f) => f.cases.filter((c) => c.knownGap).map((c) => [`${f.name}\u0000${c.name}`, c.knownGap!] as const)));
  const of = (target: TargetName, fixture?: string) =>
    results.filter((r) => r.target === target && (fixture === undefined || r.fixture === fixture));
  const score = (rs: CaseResult[]) => `${rs.filter((r) => r.pass).length}/${rs.length}`;

  const rows = fixtures.map((f) => `| \`${f.name}\` | ${f.cases.length} | ${TARGETS.map((t) => score(of(t, f.name))).join(' | ')} |`);
  const md = [
    '# Federation conformance results',
    '',
    'Written by `npm run conformance` (test/federation/run.ts); the cases are in `test/federation/cases/`, their',
    'expected answers derived from the GraphQL and federation specs. Versions: @apollo/gateway',
    `${versionOf('@apollo/gateway')}, @apollo/composition ${versionOf('@apollo/composition')}, @apollo/server ${versionOf('@apollo/server')}.`,
    '',
    `| target | passed |`,
    `| --- | --- |`,
    ...TARGETS.map((t) => `| ${LABEL[t]} | ${score(of(t))} |`),
    '',
    `| fixture | cases | ${TARGETS.map((t) => LABEL[t]).join(' | ')} |`,
    `| --- | --- | ${TARGETS.map(() => '---').join(' | ')} |`,
    ...rows,
    '',
    '## Cases stock Apollo Gateway fails',
    '',
    ...failuresList(of('apollo-gateway'), new Map()),
    '',
    '## Cases CityGraph fails',
    '',
    ...failuresList(of('citygraph'), gaps),
    '',
  ].join('\n');
  writeFileSync(path.join(__dirname, 'RESULTS.md'), md);

  const width = Math.max(...fixtures.map((f) => f.name.length), 7);
  console.log(`${'fixture'.padEnd(width)}  cases  ${TARGETS.map((t) => LABEL[t].padStart(24)).join('')}`);
  for (const f of fixtures) {
    console.log(`${f.name.padEnd(width)}  ${String(f.cases.length).padStart(5)}  ${TARGETS.map((t) => score(of(t, f.name)).padStart(24)).join('')}`);
  }
  console.log(`${'total'.padEnd(width)}  ${String(results.length / TARGETS.length).padStart(5)}  ${TARGETS.map((t) => score(of(t)).padStart(24)).join('')}`);
  for (const t of TARGETS) {
    const failed = of(t).filter((r) => !r.pass);
    if (!failed.length) continue;
    console.log(`\n${LABEL[t]} fails:`);
    for (const r of failed) console.log(`  ${r.fixture} / ${r.case}\n      ${r.problems.join('\n      ')}`);
  }
  console.log(`\n${((Date.now() - started) / 1000).toFixed(1)} s; wrote ${path.relative(process.cwd(), path.join(__dirname, 'RESULTS.md'))}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
