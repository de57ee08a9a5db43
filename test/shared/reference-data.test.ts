import { InProcessPubSub } from '../../shared/platform/pubsub';
import { ReferenceData } from '../../shared/subgraph/reference-data';

/*
 * The kit's reference data helper with a real in-process pub/sub (what Redis carries across
 * replicas): two replicas of one set, each holding what it last loaded from the shared source.
 */

const tick = () => new Promise((r) => setTimeout(r, 10));
async function until(check: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await tick();
  }
}

function replica(source: { value: number; fail?: boolean; delayMs?: number }, pubsub: InProcessPubSub) {
  const held = { value: -1 };
  const data = new ReferenceData<number>({
    name: 'test-data',
    pubsub,
    refreshMs: 0,
    load: async () => {
      const read = source.value;
      if (source.delayMs) await new Promise((r) => setTimeout(r, source.delayMs));
      if (source.fail) throw new Error('database down');
      return read;
    },
    apply: (v) => {
      held.value = v;
    },
  });
  return { data, held };
}

it('loads at start; a change in one replica reloads that one before answering and the other on the notice', async () => {
  const pubsub = new InProcessPubSub();
  const source = { value: 1 };
  const a = replica(source, pubsub);
  const b = replica(source, pubsub);
  await a.data.start();
  await b.data.start();
  expect([a.held.value, b.held.value]).toEqual([1, 1]);

  source.value = 2;
  await a.data.changed({ why: 'edit' });
  expect(a.held.value).toBe(2);
  await until(() => b.held.value === 2);
  await a.data.stop();
  await b.data.stop();
  await pubsub.close();
});

it('a reload asked for while a load runs gets a load of its own after it (never the older read)', async () => {
  const pubsub = new InProcessPubSub();
  const source = { value: 1, delayMs: 50 };
  const a = replica(source, pubsub);
  await a.data.start();
  const first = a.data.reload(); // reads 1, slowly
  await tick();
  source.value = 3;
  const second = a.data.reload();
  const third = a.data.reload();
  await second;
  expect(a.held.value).toBe(3);
  await Promise.all([first, third]);
  expect(a.data.loads).toBe(3); // start, the running one, one shared follow-up
  await a.data.stop();
  await pubsub.close();
});

it('keeps the last good set when a reload fails, and start fails loudly', async () => {
  const pubsub = new InProcessPubSub();
  const source = { value: 5, fail: false };
  const a = replica(source, pubsub);
  await a.data.start();
  source.fail = true;
  source.value = 6;
  await a.data.reload();
  expect(a.held.value).toBe(5);
  await expect(replica(source, pubsub).data.start()).rejects.toThrow('database down');
  await a.data.stop();
  await pubsub.close();
});

it('after stop, notices no longer reload it', async () => {
  const pubsub = new InProcessPubSub();
  const source = { value: 1 };
  const a = replica(source, pubsub);
  const b = replica(source, pubsub);
  await a.data.start();
  await b.data.start();
  await b.data.stop();
  source.value = 2;
  await a.data.changed();
  await tick();
  expect(b.held.value).toBe(1);
  await a.data.stop();
  await pubsub.close();
});
