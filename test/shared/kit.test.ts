import { GraphQLError, graphql, buildSchema } from 'graphql';
import { Schema, type Model } from 'mongoose';
import type { Database } from '../../shared/platform/db';
import type { PubSub } from '../../shared/platform/pubsub';
import { InProcessPubSub } from '../../shared/platform/pubsub';
import { createLogger } from '../../shared/platform/logger';
import {
  claimOnce,
  createIdempotent,
  DateTime,
  inArea,
  isDuplicateKey,
  optionalText,
  publishAfterCommit,
  publishRetry,
  releaseSlot,
  requireArea,
  SLOT_INDEXES,
  takeSlot,
  text,
} from '../../shared/subgraph';
import { concurrently } from '../support/concurrently';
import { testDatabase } from '../support/db';

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err instanceof GraphQLError ? { code: err.extensions.code, field: err.extensions.field, reason: err.extensions.reason } : err;
  }
  return 'no error';
}

describe('the subgraph kit on FerretDB', () => {
  let db: Database;
  let Claim: Model<any>;
  let Unique: Model<any>;
  let Slot: Model<any>;
  let Booking: Model<any>;

  beforeAll(async () => {
    db = await testDatabase('kit');
    Claim = db.conn.model('Claim', new Schema({ _id: String, at: Date }, { versionKey: false })) as unknown as Model<any>;
    const uniqueSchema = new Schema({ name: String, n: Number }, { versionKey: false });
    uniqueSchema.index({ name: 1 }, { unique: true });
    Unique = db.conn.model('Unique', uniqueSchema) as unknown as Model<any>;
    const slotSchema = new Schema({ scope: String, slot: Number, holder: String, lotId: String }, { versionKey: false });
    for (const [fields, opts] of SLOT_INDEXES) slotSchema.index(fields, opts);
    Slot = db.conn.model('Slot', slotSchema) as unknown as Model<any>;
    const bookingSchema = new Schema({ key: String, lot: String, idempotencyFingerprint: String }, { versionKey: false });
    bookingSchema.index({ key: 1 }, { unique: true, sparse: true });
    Booking = db.conn.model('Booking', bookingSchema) as unknown as Model<any>;
    await Promise.all([Claim, Unique, Slot, Booking].map((m) => m.createIndexes()));
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('isDuplicateKey', () => {
    it('recognises a duplicate insert, a duplicate update and a duplicate in a bulk insert', async () => {
      await Unique.create({ name: 'a', n: 1 });
      await Unique.create({ name: 'b', n: 2 });
      const insert = await Unique.create({ name: 'a' }).catch((e: unknown) => e);
      const update = await Unique.updateOne({ name: 'b' }, { $set: { name: 'a' } }).catch((e: unknown) => e);
      const bulk = await Unique.insertMany([{ name: 'c' }, { name: 'a' }], { ordered: false }).catch((e: unknown) => e);
      expect([isDuplicateKey(insert), isDuplicateKey(update), isDuplicateKey(bulk)]).toEqual([true, true, true]);
    });

    it('is false for other errors, and for the words without a server code', () => {
      expect(isDuplicateKey(new Error('UNIQUE constraint failed: x'))).toBe(false);
      expect(isDuplicateKey(Object.assign(new Error('boom'), { code: 2 }))).toBe(false);
      expect(isDuplicateKey(Object.assign(new Error('UNIQUE constraint failed: x'), { code: 1 }))).toBe(true);
      expect(isDuplicateKey({ writeErrors: [{ err: { code: 11000 } }] })).toBe(true);
      expect(isDuplicateKey(null)).toBe(false);
    });
  });

  it('claimOnce: of 50 racing callers exactly one takes the claim', async () => {
    const results = await concurrently(50, () => claimOnce(Claim, { _id: 'stay-1@HELD', at: new Date() }));
    const taken = results.filter((r) => r.status === 'fulfilled' && r.value === true).length;
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(taken).toBe(1);
    expect(await Claim.countDocuments({ _id: 'stay-1@HELD' })).toBe(1);
  });

  describe('createIdempotent', () => {
    const book = (key: string | null, lot: string) =>
      createIdempotent({
        key,
        input: { lot },
        find: (k) => Booking.findOne({ key: k }).lean<any>(),
        create: async (fingerprint) => (await Booking.create({ key: key ?? undefined, lot, idempotencyFingerprint: fingerprint ?? undefined })).toObject(),
      });

    it('same key and input → the first record, across 50 racing calls', async () => {
      const results = await concurrently(50, () => book('key-00000001', 'PL-1'));
      const ids = new Set(results.map((r) => (r.status === 'fulfilled' ? String(r.value._id) : 'rejected')));
      expect(ids.size).toBe(1);
      expect(ids.has('rejected')).toBe(false);
      expect(await Booking.countDocuments({ key: 'key-00000001' })).toBe(1);
    });

    it('same key, other input → IDEMPOTENCY_KEY_REUSED naming idempotencyKey, and nothing stored', async () => {
      await book('key-00000002', 'PL-1');
      const err = await book('key-00000002', 'PL-2').catch((e: GraphQLError) => e);
      expect(err).toBeInstanceOf(GraphQLError);
      expect((err as GraphQLError).extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
      expect(await Booking.countDocuments({ key: 'key-00000002' })).toBe(1);
    });

    it('no key → a new record each time', async () => {
      const a = await book(null, 'PL-3');
      const b = await book(null, 'PL-3');
      expect(String(a._id)).not.toBe(String(b._id));
    });
  });

  describe('takeSlot', () => {
    it('admits at most `capacity` holders among 60 racing ones, and each at most once', async () => {
      const results = await concurrently(60, (i) => takeSlot(Slot, { scope: 'occ-1', capacity: 7, holder: `h${i % 30}`, extra: { lotId: 'PL-1' } }));
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
      const stored = await Slot.find({ scope: 'occ-1' }).lean<Array<{ slot: number; holder: string; lotId: string }>>();
      expect(stored).toHaveLength(7);
      expect(new Set(stored.map((s) => s.slot))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
      expect(new Set(stored.map((s) => s.holder)).size).toBe(7);
      expect(stored.every((s) => s.lotId === 'PL-1')).toBe(true);
      const holders = new Map(stored.map((s) => [s.holder, s.slot]));
      // every caller whose holder holds a slot got that slot; the rest got null
      results.forEach((r, i) => {
        const got = (r as PromiseFulfilledResult<number | null>).value;
        expect(got).toBe(holders.get(`h${i % 30}`) ?? null);
      });
    });

    it('a released slot is taken again', async () => {
      const held = await Slot.findOne({ scope: 'occ-1' }).lean<{ holder: string; slot: number }>();
      await releaseSlot(Slot, { scope: 'occ-1', holder: held!.holder });
      expect(await takeSlot(Slot, { scope: 'occ-1', capacity: 7, holder: 'late' })).toBe(held!.slot);
      expect(await takeSlot(Slot, { scope: 'occ-1', capacity: 7, holder: 'later' })).toBeNull();
    });
  });
});

describe('publishAfterCommit', () => {
  const failing = (failures: number): PubSub & { calls: number; published: unknown[] } => {
    const inner = new InProcessPubSub();
    const ps = {
      calls: 0,
      published: [] as unknown[],
      async publish(topic: string, payload: unknown) {
        ps.calls += 1;
        if (ps.calls <= failures) throw new Error('redis down');
        ps.published.push(payload);
        return inner.publish(topic, payload);
      },
      subscribe: inner.subscribe.bind(inner),
      close: inner.close.bind(inner),
    };
    return ps;
  };
  const saved = { ...publishRetry };
  beforeAll(() => Object.assign(publishRetry, { attempts: 3, firstDelayMs: 1 }));
  afterAll(() => Object.assign(publishRetry, saved));

  it('retries a failed publish and delivers it', async () => {
    const ps = failing(2);
    await publishAfterCommit(ps, 't', { n: 1 });
    expect(ps.calls).toBe(3);
    expect(ps.published).toEqual([{ n: 1 }]);
  });

  it('never throws: after the last attempt it logs an error naming the topic', async () => {
    const lines: string[] = [];
    const log = createLogger('test', { level: 'error', format: 'json', destination: { write: (l: string) => lines.push(l) } as never });
    const ps = failing(99);
    await expect(publishAfterCommit(ps, 'requestUpdated:440303003001', { n: 1 }, log)).resolves.toBeUndefined();
    expect(ps.calls).toBe(3);
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ level: 50, topic: 'requestUpdated:440303003001', attempts: 3 })]);
  });
});

describe('DateTime', () => {
  const schema = buildSchema('scalar DateTime type Query { echo(at: DateTime!): DateTime! }');
  Object.assign(schema.getType('DateTime')!, { serialize: DateTime.serialize, parseValue: DateTime.parseValue, parseLiteral: DateTime.parseLiteral });
  const echo = async (at: unknown) => graphql({ schema, source: 'query($at: DateTime!) { echo(at: $at) }', variableValues: { at }, rootValue: { echo: ({ at: d }: { at: Date }) => d } });

  it.each(['2026-12-01T08:38:10Z', '2026-12-01T16:38:10+08:00', '2026-12-01T08:38:10.123Z'])('accepts %s as a Date', async (at) => {
    const res = await echo(at);
    expect(res.errors).toBeUndefined();
    expect(res.data?.echo).toBe(new Date(at).toISOString());
  });

  it.each(['12/01/2026 08:38:10 UTC', '2026', '2026-12-01', '2026-12-01T08:38:10', '2026-12-01 08:38:10Z', '2026-02-30T00:00:00Z', '2026-12-01T24:00:00Z', 1764578290000])(
    'refuses %s with BAD_USER_INPUT saying why',
    async (at) => {
      const res = await echo(at);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'DateTime' });
      expect(String(res.errors?.[0].extensions?.reason)).not.toBe('');
    },
  );

  it('refuses a bad literal too, and serialises Dates and date strings as …Z', () => {
    expect(codeOf(() => DateTime.parseLiteral({ kind: 'StringValue', value: '2026' } as never))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(DateTime.serialize(new Date('2026-12-01T16:38:10+08:00'))).toBe('2026-12-01T08:38:10.000Z');
    expect(DateTime.serialize('2026-12-01T08:38:10.000Z')).toBe('2026-12-01T08:38:10.000Z');
  });
});

describe('text', () => {
  it.each([
    ['NUL', 'a\u0000b', 'control'],
    ['BEL', 'ding\u0007', 'control'],
    ['ANSI', '\u001b[31mred', 'ANSI'],
    ['RLO', 'abc\u202Etxt.exe', 'bidirectional'],
    ['isolate', 'x\u2066y', 'bidirectional'],
    ['C1', 'x\u0085y', 'control'],
    ['newline in a title', 'two\nlines', 'single line'],
  ])('refuses %s naming the field and why', (_, value, why) => {
    const err = codeOf(() => text('input.title', value, { max: 100 })) as { code: string; field: string; reason: string };
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    expect(err.reason).toContain(why);
  });

  it('keeps newlines and tabs in multiline text, normalises NFC and trims', () => {
    expect(text('note', '  a\r\n\tb  ', { max: 10, multiline: true })).toBe('a\n\tb');
    expect(text('name', 'Cafe\u0301', { max: 10 })).toBe('Café');
  });

  it('counts code points, with min and max', () => {
    expect(text('name', '𠀀𠀀', { max: 2 })).toBe('𠀀𠀀');
    expect(codeOf(() => text('name', '𠀀𠀀𠀀', { max: 2 }))).toMatchObject({ reason: 'must be at most 2 characters' });
    expect(codeOf(() => text('name', '  ', { max: 2 }))).toMatchObject({ reason: 'must not be empty' });
    expect(codeOf(() => text('name', 'a', { max: 9, min: 2 }))).toMatchObject({ reason: 'must be at least 2 characters' });
    expect(optionalText('name', null, { max: 2 })).toBeUndefined();
  });
});

describe('access', () => {
  const place = { communityCode: '440303003001' };
  it('community workers act only in their community, street staff in their street, admins everywhere', () => {
    expect(inArea({ role: 'community_worker', communityCode: '440303003001' }, place)).toBe(true);
    expect(inArea({ role: 'community_worker', communityCode: '440303003001' }, { communityCode: '440307001001' })).toBe(false);
    expect(inArea({ role: 'staff', streetCode: '440303003' }, place)).toBe(true);
    expect(inArea({ role: 'staff', streetCode: '440307001' }, place)).toBe(false);
    expect(inArea({ role: 'staff' }, place)).toBe(true);
    expect(inArea({ role: 'admin' }, place)).toBe(true);
    expect(inArea({ role: 'resident', residentId: 'R-0001' }, place)).toBe(false);
  });

  it('requireArea answers FORBIDDEN naming the field', () => {
    expect(codeOf(() => requireArea({ role: 'community_worker', communityCode: '440303003001' }, { communityCode: '440307001001' }, 'input.communityCode'))).toMatchObject({
      code: 'FORBIDDEN',
      field: 'input.communityCode',
    });
  });
});
