/**
 * CPU per request of the gateway process under each executor (GATEWAY_EXECUTOR), on a fixture
 * of three subgraphs (a list of 50 products, their reviews and stock: 3 fetches, ~20 KB answers)
 * served from this process, with sharing and the response cache off so every request does the
 * whole work. The gateway runs alone in a child process; its CPU time is read from /proc.
 *
 *   tsx scripts/measure-executor.ts [requests per round, default 2000]
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { startFixture } from '../test/federation/harness';
import { fed } from '../test/federation/sdl';

const N = Number(process.argv[2] ?? 2000);
const products = Array.from({ length: 50 }, (_, i) => ({ upc: String(i), name: `Product ${i}`, price: 100 + i }));
const query = '{ products { upc name price reviews { id body author { name } } stock { count warehouse } } }';

const fixture = {
  name: 'measure',
  cases: [],
  subgraphs: [
    {
      name: 'products',
      typeDefs: `${fed('@key')} type Product @key(fields: "upc") { upc: String! name: String! price: Int! } type Query { products: [Product!]! }`,
      resolvers: { Query: { products: () => products } },
    },
    {
      name: 'reviews',
      typeDefs: `${fed('@key')} type Product @key(fields: "upc") { upc: String! reviews: [Review!]! } type Review { id: ID! body: String! author: Author! } type Author { name: String! }`,
      resolvers: { Product: { __resolveReference: (r: { upc: string }) => r, reviews: (p: { upc: string }) => [1, 2, 3].map((n) => ({ id: `${p.upc}-${n}`, body: `Review ${n} of ${p.upc}`, author: { name: `A${n}` } })) } },
    },
    {
      name: 'inventory',
      typeDefs: `${fed('@key')} type Product @key(fields: "upc") { upc: String! stock: Stock } type Stock { count: Int! warehouse: String! }`,
      resolvers: { Product: { __resolveReference: (r: { upc: string }) => r, stock: (p: { upc: string }) => ({ count: Number(p.upc) * 3, warehouse: 'SZ-1' }) } },
    },
  ],
};

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function load(url: string, n: number, concurrency = 16): Promise<number> {
  let next = 0;
  let bytes = 0;
  const body = JSON.stringify({ query });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) {
        const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await res.body.text();
        if (res.statusCode !== 200 || text.includes('"errors"')) throw new Error(`bad answer: ${text.slice(0, 200)}`);
        bytes = text.length;
      }
    }),
  );
  return bytes;
}

async function round(executor: string, supergraphPath: string): Promise<{ cpuMsPerRequest: number; rps: number; bytes: number }> {
  const port = 4600 + Math.floor(Math.random() * 300);
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/index.ts'], {
    env: { ...process.env, GATEWAY_EXECUTOR: executor, PORT: String(port), SUPERGRAPH_PATH: supergraphPath, SUPERGRAPH_WATCH: 'off', CITY_AUTH: 'off', RESPONSE_CACHE: 'off', SUBGRAPH_DEDUPE: 'off', LOG_LEVEL: 'silent', NODE_ENV: 'test', APOLLO_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let i = 0; ; i++) {
    try {
      await load(url, 1, 1);
      break;
    } catch (err) {
      if (i > 300) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await load(url, 100); // warm-up (JIT, plan and shaper caches)
  const cpu0 = cpuMs(child.pid!);
  const t0 = Date.now();
  const bytes = await load(url, N);
  const elapsed = Date.now() - t0;
  const cpu = cpuMs(child.pid!) - cpu0;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { cpuMsPerRequest: cpu / N, rps: (N * 1000) / elapsed, bytes };
}

async function main(): Promise<void> {
  const running = await startFixture(fixture as never);
  const supergraphPath = path.join(tmpdir(), `measure-executor-${process.pid}.graphql`);
  writeFileSync(supergraphPath, running.supergraphSdl);
  try {
    const results: Record<string, Array<{ cpuMsPerRequest: number; rps: number; bytes: number }>> = { apollo: [], citygraph: [] };
    // Interleaved rounds: the machine is shared, so the ratio of medians is what counts.
    for (let r = 0; r < 3; r++) {
      for (const executor of ["apollo", "citygraph"]) {
        results[executor].push(await round(executor, supergraphPath));
        console.error(executor, JSON.stringify(results[executor].at(-1)));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    const a = median(results.apollo.map((x) => x.cpuMsPerRequest));
    const c = median(results.citygraph.map((x) => x.cpuMsPerRequest));
    console.log(JSON.stringify({ requests: N, answerBytes: results.citygraph[0].bytes, results }, null, 1));
    console.log(`gateway CPU ms per request (median of 3): apollo ${a.toFixed(2)}, citygraph ${c.toFixed(2)}; citygraph/apollo = ${(c / a).toFixed(2)}`);
  } finally {
    await running.close();
  }
}

void main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
