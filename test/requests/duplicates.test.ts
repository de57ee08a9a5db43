import { bigrams, jaccard, textSimilarity } from '../../subgraphs/requests/domain/duplicates';
import { startGraph, type RunningGraph } from '../support/graph';
import { registerResidents } from '../support/residents';

/*
 * Duplicate detection at submission, through the gateway: the same community, the same
 * responsibility item and similar text (bigram Jaccard ≥ 0.6) within 72 hours link the new
 * request to the open one; the resident is told which one on the submit answer.
 */

const HUANGBEI = '440303001001';
const XINYI = '440303001002';
const STREET_LIGHT = 'C01-01';
const RUBBISH = 'C01-03';
const HOUR = 3_600_000;

let graph: RunningGraph;
let now = new Date('2026-11-20T02:00:00Z');
let tokens: Record<string, string>;
const residents = ['R-DUP-01', 'R-DUP-02', 'R-DUP-03', 'R-DUP-04', 'R-DUP-05', 'R-DUP-06', 'R-DUP-07', 'R-DUP-08'];

const SUBMIT = `mutation($input: SubmitRequestInput!) { submitRequest(input: $input) {
  id number status department { id } parent { id number } duplicateNotice { original { id number status } similarity message }
  timeline { action actor role note }
} }`;
const DUPLICATES = 'query($id: ID!) { request(id: $id) { status duplicates { id status } } }';
const staffToken = (departmentId: string) => graph.token({ role: 'staff', subject: `staff-${departmentId}`, departmentId });
const adminToken = () => graph.token({ role: 'admin', subject: 'admin' });

async function submit(resident: string, input: Record<string, unknown>) {
  const res = await graph.query(SUBMIT, { input: { channel: 'I_SHENZHEN', communityCode: HUANGBEI, itemCode: STREET_LIGHT, ...input } }, tokens[resident]);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.submitRequest;
}

beforeAll(async () => {
  graph = await startGraph({ now, clock: () => now });
  tokens = await registerResidents(graph, residents, HUANGBEI, 300);
}, 120_000);

afterAll(() => graph?.stop());

describe('the similarity measure', () => {
  it('ignores punctuation, spaces and full-width forms; different matters stay apart', () => {
    expect(jaccard(bigrams('黄贝岭 路灯，不亮！'), bigrams('黄贝岭路灯不亮'))).toBe(1);
    expect(jaccard(bigrams('ＡＢＣ路灯'), bigrams('abc路灯'))).toBe(1);
    const a = { title: '黄贝岭社区路灯不亮', description: '黄贝岭社区东门外三盏路灯晚上不亮，行人看不清路。' };
    const b = { title: '黄贝岭社区路灯坏了', description: '黄贝岭社区东门外三盏路灯晚上都不亮，行人看不清路' };
    const c = { title: '垃圾桶满了没人清', description: '菜市场门口垃圾桶两天没有清运，气味很大。' };
    expect(textSimilarity(a, b)).toBeGreaterThanOrEqual(0.6);
    expect(textSimilarity(a, c)).toBeLessThan(0.2);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });
});

describe('duplicates at submission', () => {
  const text = { title: '黄贝岭社区东门路灯不亮', description: '黄贝岭社区东门外三盏路灯连续三晚不亮，老人晚上出门看不清路。' };

  it('four identical submissions: one open request, three linked duplicates, each told which one', async () => {
    const first = await submit('R-DUP-01', text);
    expect(first.status).toBe('DISPATCHED');
    expect(first.duplicateNotice).toBeNull();
    const later = [];
    for (const r of ['R-DUP-02', 'R-DUP-03', 'R-DUP-04']) later.push(await submit(r, text));
    for (const d of later) {
      expect(d.status).toBe('DUPLICATE');
      expect(d.parent).toEqual({ id: first.id, number: first.number });
      expect(d.duplicateNotice).toMatchObject({ original: { id: first.id, number: first.number }, similarity: 1 });
      expect(d.duplicateNotice.message).toContain(first.number);
      // Submitted, then linked by the system: never dispatched.
      expect(d.timeline.map((e: { action: string }) => e.action)).toEqual(['SUBMITTED', 'MARKED_DUPLICATE']);
      expect(d.timeline[1]).toMatchObject({ role: 'system' });
      expect(d.department).toBeNull();
    }
    const original = await graph.query(DUPLICATES, { id: first.id }, adminToken());
    expect(original.data.request.status).toBe('DISPATCHED');
    expect(original.data.request.duplicates.map((d: { id: string }) => d.id).sort()).toEqual(later.map((d) => d.id).sort());
  });

  it('a similar text (not identical) is linked; another community or another item is not', async () => {
    const similar = await submit('R-DUP-05', { title: '黄贝岭社区东门路灯坏了', description: '黄贝岭社区东门外三盏路灯连续三晚都不亮，老人晚上出门看不清路' });
    expect(similar.status).toBe('DUPLICATE');
    expect(similar.duplicateNotice.similarity).toBeGreaterThanOrEqual(0.6);
    expect(similar.duplicateNotice.similarity).toBeLessThan(1);

    const otherCommunity = await submit('R-DUP-05', { ...text, communityCode: XINYI });
    expect(otherCommunity.status).toBe('DISPATCHED');
    expect(otherCommunity.duplicateNotice).toBeNull();
    const otherItem = await submit('R-DUP-05', { ...text, itemCode: RUBBISH });
    expect(otherItem.status).toBe('DISPATCHED');
    expect(otherItem.parent).toBeNull();
    const otherText = await submit('R-DUP-05', { title: '黄贝岭社区路灯白天一直亮着', description: '市政路灯白天也开着，浪费电。' });
    expect(otherText.status).toBe('DISPATCHED');
  });

  it('a resolved request is not matched, nor one filed more than 72 hours before', async () => {
    const words = { title: '新谊社区北门路灯闪烁', description: '新谊社区北门路灯一直闪烁，晚上很晃眼，请维修。' };
    const first = await submit('R-DUP-06', { ...words, communityCode: XINYI });
    const dept = (await graph.query('query($id: ID!) { request(id: $id) { department { id } } }', { id: first.id }, adminToken())).data.request.department.id;
    for (const [op, vars] of [
      ['mutation($id: ID!) { acceptRequest(id: $id) { status } }', { id: first.id }],
      ['mutation($id: ID!) { resolveRequest(id: $id, note: "已更换灯具") { status } }', { id: first.id }],
    ] as const) {
      const res = await graph.query(op, vars, staffToken(dept));
      expect(res.errors).toBeUndefined();
    }
    const afterResolved = await submit('R-DUP-07', { ...words, communityCode: XINYI });
    expect(afterResolved.status).toBe('DISPATCHED');

    now = new Date(now.getTime() + 73 * HOUR);
    const afterWindow = await submit('R-DUP-08', { ...words, communityCode: XINYI });
    expect(afterWindow.status).toBe('DISPATCHED');
    expect(afterWindow.duplicateNotice).toBeNull();
  });

  it('four identical submissions at once still leave one open request, the others linked to it', async () => {
    // Three rounds, each in its own community (the texts are alike: one community would link them all).
    for (const communityCode of [HUANGBEI, XINYI, '440303002001']) {
      const words = { title: '西门垃圾站垃圾满溢', description: '西门垃圾站垃圾满溢到路上，已经两天没有清运，气味很大。' };
      const all = await Promise.all(residents.slice(0, 4).map((r) => submit(r, { ...words, itemCode: RUBBISH, communityCode })));
      // Read again: a racer's link may have moved to the root after its own answer was sent.
      const now = await Promise.all(all.map(async (r) => (await graph.query('query($id: ID!) { request(id: $id) { id status parent { id } } }', { id: r.id }, adminToken())).data.request));
      const open = now.filter((r) => r.status !== 'DUPLICATE');
      expect(open).toHaveLength(1);
      for (const d of now.filter((r) => r.status === 'DUPLICATE')) expect(d.parent.id).toBe(open[0].id);
    }
  });
});
