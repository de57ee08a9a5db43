import { DEMO_RESIDENT_ID, SHUIBEI } from '../../shared/dev/demo';
import { createModels } from '../../subgraphs/requests/models';
import { residentViewer, type RunningSubgraph } from '../support/subgraph';
import { fails, FRIDAY_10, ok, startRequests, SUBMIT } from './helpers';

// The requests subgraph on the kit: the text rule, idempotency with a fingerprint, publishing that never fails a write.
let sg: RunningSubgraph;
const demo = residentViewer(DEMO_RESIDENT_ID);
const input = (patch: Record<string, unknown>) => ({ title: '水贝社区路灯不亮', description: '路灯连续三晚不亮', channel: 'I_SHENZHEN', communityCode: SHUIBEI, ...patch });

beforeAll(async () => {
  sg = await startRequests('rq_kit', { history: false });
});
afterAll(() => sg?.stop());
beforeEach(() => sg.setNow(FRIDAY_10));

it.each([
  ['NUL', { title: 'a\u0000b' }, 'input.title'],
  ['BEL', { title: 'ding\u0007' }, 'input.title'],
  ['ANSI', { description: '\u001b[31m红色' }, 'input.description'],
  ['RLO', { title: '路灯\u202Eexe.txt' }, 'input.title'],
  ['a line break in a title', { title: 'two\nlines' }, 'input.title'],
])('refuses %s in free text naming the field, and stores nothing', async (_, patch, field) => {
  const models = createModels(sg.db.conn);
  const before = await models.Request.countDocuments();
  const err = await fails(sg, SUBMIT, { input: input(patch) }, demo);
  expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(await models.Request.countDocuments()).toBe(before);
});

it('keeps line breaks in a description', async () => {
  const r = (await ok(sg, SUBMIT, { input: input({ description: '第一行\n第二行' }) }, demo)).submitRequest;
  expect((await createModels(sg.db.conn).Request.findById(r.id).lean())?.description).toBe('第一行\n第二行');
});

it('answers the same key with other input IDEMPOTENCY_KEY_REUSED, the same input with the first request', async () => {
  const first = (await ok(sg, SUBMIT, { input: input({ idempotencyKey: 'kit-key-0001' }) }, demo)).submitRequest;
  const again = (await ok(sg, SUBMIT, { input: input({ idempotencyKey: 'kit-key-0001' }) }, demo)).submitRequest;
  expect(again.id).toBe(first.id);
  const other = await fails(sg, SUBMIT, { input: input({ idempotencyKey: 'kit-key-0001', title: '另一个问题' }) }, demo);
  expect(other.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' });
});

it('stores and answers a request while the pub/sub is down', async () => {
  const publish = sg.pubsub.publish;
  sg.pubsub.publish = async () => {
    throw new Error('redis is down');
  };
  try {
    const r = (await ok(sg, SUBMIT, { input: input({ title: '发布失败也要保存' }) }, demo)).submitRequest;
    expect(await createModels(sg.db.conn).Request.countDocuments({ title: '发布失败也要保存' })).toBe(1);
    expect(r.title).toBe('发布失败也要保存');
  } finally {
    sg.pubsub.publish = publish;
  }
});
