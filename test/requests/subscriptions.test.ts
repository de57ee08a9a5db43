import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { residentViewer, staffViewer, type RunningSubgraph } from '../support/subgraph';
import { ok, startRequests, SUBMIT } from './helpers';

let sg: RunningSubgraph;

beforeAll(async () => {
  sg = await startRequests('rq_subs', { history: false });
});
afterAll(() => sg?.stop());

it('requestUpdated and requestStatsChanged stream every change of the community over graphql-ws', async () => {
  const client = createClient({ url: `${sg.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: true });
  try {
    const updates = client.iterate<any>({ query: `subscription { requestUpdated(communityCode: "${SHUIBEI}") { id status level parkingLot { id } community { name } } }` });
    const stats = client.iterate<any>({ query: `subscription { requestStatsChanged(communityCode: "${SHUIBEI}") { received open } }` });
    const others = client.iterate<any>({ query: 'subscription { requestUpdated(communityCode: "440311001001") { id } }' });
    // Let both subscriptions reach the server before anything is published.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const input = { title: '共享停车场道闸故障', description: '道闸坏了', channel: 'WECHAT', communityCode: SHUIBEI, parkingLotId: 'PL-DX-01' };
    const submitted = (await ok(sg, SUBMIT, { input }, residentViewer(DEMO_RESIDENT_ID))).submitRequest;
    const first = await updates.next();
    expect(first.value.data.requestUpdated).toEqual({ id: submitted.id, status: 'DISPATCHED', level: 3, parkingLot: { id: 'PL-DX-01' }, community: { name: '水贝社区' } });
    expect((await stats.next()).value.data.requestStatsChanged).toEqual({ received: 1, open: 1 });

    const dept = submitted.department.id;
    await ok(sg, 'mutation($id: ID!) { acceptRequest(id: $id) { id } }', { id: submitted.id }, staffViewer(dept));
    expect((await updates.next()).value.data.requestUpdated.status).toBe('ACCEPTED');
    expect((await stats.next()).value.data.requestStatsChanged).toEqual({ received: 1, open: 1 });

    // Nothing was published for another community.
    const nothing = await Promise.race([others.next().then(() => 'event'), new Promise((resolve) => setTimeout(() => resolve('none'), 200))]);
    expect(nothing).toBe('none');
    await updates.return?.();
    await stats.return?.();
    await others.return?.();
  } finally {
    await client.dispose();
  }
});
