import jwt from 'jsonwebtoken';
import { signViewer } from '../../shared/platform/auth';
import { createSubgraph } from '../../subgraphs/parking/server';
import { startSubgraph, testConfig, type RunningSubgraph } from '../support/subgraph';

/** With REQUIRE_GATEWAY_SIGNATURE on, a subgraph answers only requests the gateway signed. */
let sub: RunningSubgraph;

beforeAll(async () => {
  sub = await startSubgraph('signature', createSubgraph, { config: { requireGatewaySignature: true } });
});
afterAll(() => sub.stop());

async function post(headers: Record<string, string>) {
  const res = await fetch(`${sub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ parkingLots { id } }' }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

it('refuses a direct call without the gateway signature', async () => {
  const { status, body } = await post({});
  expect(status).toBe(401);
  expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
});

it('refuses forged claims: signed with another key, or an admin claim without a signature', async () => {
  const forged = signViewer({ role: 'admin', subject: 'mallory' }, 'not-the-internal-secret-but-long-enough-1234');
  expect((await post({ 'x-citygraph-viewer': forged })).status).toBe(401);
  const unsigned = jwt.sign({ sub: 'mallory', role: 'admin' }, '', { algorithm: 'none', audience: 'citygraph-subgraphs' });
  expect((await post({ 'x-citygraph-viewer': unsigned })).status).toBe(401);
});

it('answers what the gateway signed, anonymous included', async () => {
  const { status, body } = await post({ 'x-citygraph-viewer': signViewer({ role: 'anonymous' }, testConfig.internalSecret) });
  expect(status).toBe(200);
  expect(body.data.parkingLots).toEqual([]);
});
