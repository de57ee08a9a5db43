import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { signUserToken } from '../../shared/platform/auth';
import { RedisRateLimitStore } from '../../gateway/security/rate-limit';
import { expectHealthy, JWT_SECRET, startSecuredGateway, startSubgraphs, type SecuredGateway, type Subgraphs } from './support';

/** Two gateway replicas count one client's requests together through Redis. */

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function redisReachable(): Promise<boolean> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port || 6379), hostname, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

let up = false;
let subgraphs: Subgraphs;
let a: SecuredGateway;
let b: SecuredGateway;

beforeAll(async () => {
  up = await redisReachable();
  if (!up) return;
  subgraphs = await startSubgraphs();
  const setup = { redisUrl: REDIS_URL, env: { RATE_LIMIT_MAX: '10', RATE_LIMIT_WINDOW_MS: '20000' } };
  a = await startSecuredGateway(subgraphs.supergraphSdl, setup);
  b = await startSecuredGateway(subgraphs.supergraphSdl, setup);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await subgraphs?.stop();
});

const skipped = () => {
  if (up) return false;
  console.warn(`SKIPPED: Redis is unreachable at ${REDIS_URL}; the shared rate limit was not tested`);
  return true;
};

it('shares one client\'s rate limit across two gateway instances through Redis', async () => {
  if (skipped()) return;
  // Let both replicas connect first (until then they count in-process).
  const probe = new RedisRateLimitStore(REDIS_URL, 1000);
  await probe.ready();
  await probe.close();
  await new Promise((r) => setTimeout(r, 300));

  const subject = `R-REDIS-${randomUUID()}`;
  const headers = { authorization: `Bearer ${signUserToken({ role: 'resident', subject, residentId: subject }, JWT_SECRET)}` };
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    statuses.push((await a.post({ query: '{ hello }' }, headers)).status);
    statuses.push((await b.post({ query: '{ hello }' }, headers)).status);
  }
  // 10 allowed in all, wherever they landed; the 11th and 12th refused by whichever replica got them.
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
  const refused = await a.post({ query: '{ hello }' }, headers);
  expect(refused.status).toBe(429);
  expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 10 });
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  const other = `R-REDIS-${randomUUID()}`;
  await expectHealthy(a, { authorization: `Bearer ${signUserToken({ role: 'resident', subject: other, residentId: other }, JWT_SECRET)}` });
  await expectHealthy(b, { authorization: `Bearer ${signUserToken({ role: 'resident', subject: other, residentId: other }, JWT_SECRET)}` });
});

it('keeps counting in-process when Redis is unreachable', async () => {
  const store = new RedisRateLimitStore('redis://127.0.0.1:1', 1000);
  try {
    expect((await store.hit('k', 1, 1000)).count).toBe(1);
    expect((await store.hit('k', 2, 1000)).count).toBe(3);
  } finally {
    await store.close();
  }
});
