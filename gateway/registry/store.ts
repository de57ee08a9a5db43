import { createHash } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { Database } from '../../shared/db';

type Collection<T extends mongo.Document> = mongo.Collection<T>;
type Db = mongo.Db;
type AnyBulkWriteOperation<T extends mongo.Document> = mongo.AnyBulkWriteOperation<T>;

/**
 * The schema registry's storage, in its own database (`<prefix>_registry`). Nothing relies on
 * transactions: ids come from atomic counters, "which launch is live" is one pointer document
 * moved with a conditional update (compare-and-set on the previous launch id), and launches and
 * versions are written before the pointer moves to them, so a reader never sees a pointer to a
 * launch that does not exist.
 */

/** One published SDL of one subgraph. Ids read `<subgraph>@<n>` (`parking@3`). */
export interface SubgraphVersionDoc {
  _id: string;
  subgraph: string;
  seq: number;
  sdl: string;
  routingUrl: string;
  /** sha256 of the SDL and routing URL: the same content is never stored twice in a row. */
  hash: string;
  author: string;
  message: string;
  createdAt: Date;
}

export type LaunchKind = 'seed' | 'publish' | 'rollback';
export type LaunchStatus = 'pending' | 'launched';

/** A gateway instance that did not apply a launch (health check failed) or applied it. */
export interface LaunchReport {
  instance: string;
  at: Date;
  reason?: string;
}

/** A composed, accepted set of subgraph versions. Ids read `L<n>`. */
export interface LaunchDoc {
  _id: string;
  seq: number;
  kind: LaunchKind;
  status: LaunchStatus;
  /** One version per subgraph, sorted by subgraph name. */
  versions: Array<{ subgraph: string; versionId: string }>;
  supergraphSdl: string;
  supergraphHash: string;
  author: string;
  message: string;
  createdAt: Date;
  /** The launch that was current when this one was made. */
  previousLaunchId: string | null;
  /** For rollbacks: the launch whose set was restored. */
  rolledBackTo?: string;
  /** Whether breaking changes were accepted with `force`. */
  forced: boolean;
  rejectedBy: LaunchReport[];
  appliedBy: LaunchReport[];
}

/** An operation the gateway served, per client name. */
export interface OperationDoc {
  _id: string;
  signatureHash: string;
  operationName: string | null;
  /** The normalized document (literals hidden), what checks validate. */
  body: string;
  clientName: string;
  firstSeen: Date;
  lastSeen: Date;
  count: number;
}

interface PointerDoc {
  _id: 'current';
  launchId: string;
  seq: number;
  updatedAt: Date;
}

interface CounterDoc {
  _id: string;
  seq: number;
}

/** One batched usage record (what the usage plugin flushes). */
export interface OperationUsage {
  signatureHash: string;
  operationName: string | null;
  body: string;
  clientName: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function operationKey(signatureHash: string, clientName: string): string {
  return sha256(`${signatureHash}\u0000${clientName}`).slice(0, 40);
}

export class RegistryStore {
  readonly versions: Collection<SubgraphVersionDoc>;
  readonly launches: Collection<LaunchDoc>;
  readonly operationsSeen: Collection<OperationDoc>;
  private readonly pointer: Collection<PointerDoc>;
  private readonly counters: Collection<CounterDoc>;

  private constructor(private readonly db: Db, private readonly owned?: Database) {
    this.versions = db.collection<SubgraphVersionDoc>('subgraph_versions');
    this.launches = db.collection<LaunchDoc>('launches');
    this.operationsSeen = db.collection<OperationDoc>('operations');
    this.pointer = db.collection<PointerDoc>('current_launch');
    this.counters = db.collection<CounterDoc>('counters');
  }

  /** Opens the store on a connected database (its own, e.g. `citygraph_registry`) and creates its indexes. */
  static async open(database: Database): Promise<RegistryStore> {
    const store = new RegistryStore(database.conn.db!, database);
    await store.ensureIndexes();
    return store;
  }

  private async ensureIndexes(): Promise<void> {
    for (const name of ['subgraph_versions', 'launches', 'operations', 'current_launch', 'counters']) {
      await this.db.createCollection(name).catch((err: { code?: number; codeName?: string }) => {
        if (err.code !== 48 && err.codeName !== 'NamespaceExists') throw err;
      });
    }
    await this.versions.createIndex({ subgraph: 1, seq: -1 }, { unique: true, name: 'subgraph_seq' });
    await this.launches.createIndex({ seq: -1 }, { unique: true, name: 'seq' });
    await this.operationsSeen.createIndex({ lastSeen: -1 }, { name: 'last_seen' });
  }

  async close(): Promise<void> {
    await this.owned?.close();
  }

  private async next(counter: string): Promise<number> {
    const doc = await this.counters.findOneAndUpdate(
      { _id: counter },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    return doc!.seq;
  }

  // ---- versions ----

  async latestVersion(subgraph: string): Promise<SubgraphVersionDoc | null> {
    return this.versions.findOne({ subgraph }, { sort: { seq: -1 } });
  }

  async version(id: string): Promise<SubgraphVersionDoc | null> {
    return this.versions.findOne({ _id: id });
  }

  async versionsByIds(ids: string[]): Promise<Map<string, SubgraphVersionDoc>> {
    const docs = await this.versions.find({ _id: { $in: ids } }).toArray();
    return new Map(docs.map((d) => [d._id, d]));
  }

  async listVersions(subgraph?: string, limit = 100): Promise<SubgraphVersionDoc[]> {
    return this.versions
      .find(subgraph ? { subgraph } : {})
      .sort({ createdAt: -1, seq: -1 })
      .limit(limit)
      .toArray();
  }

  async insertVersion(v: Omit<SubgraphVersionDoc, '_id' | 'seq' | 'createdAt' | 'hash'>): Promise<SubgraphVersionDoc> {
    const seq = await this.next(`version:${v.subgraph}`);
    const doc: SubgraphVersionDoc = {
      _id: `${v.subgraph}@${seq}`,
      seq,
      ...v,
      hash: sha256(`${v.routingUrl}\n${v.sdl}`),
      createdAt: new Date(),
    };
    await this.versions.insertOne(doc);
    return doc;
  }

  async deleteVersion(id: string): Promise<void> {
    await this.versions.deleteOne({ _id: id });
  }

  // ---- launches ----

  async launch(id: string): Promise<LaunchDoc | null> {
    return this.launches.findOne({ _id: id });
  }

  async listLaunches(limit = 50): Promise<LaunchDoc[]> {
    return this.launches.find({ status: 'launched' }).sort({ seq: -1 }).limit(limit).toArray();
  }

  async insertLaunch(l: Omit<LaunchDoc, '_id' | 'seq' | 'createdAt' | 'status' | 'rejectedBy' | 'appliedBy' | 'supergraphHash'>): Promise<LaunchDoc> {
    const seq = await this.next('launch');
    const doc: LaunchDoc = {
      _id: `L${seq}`,
      seq,
      status: 'pending',
      ...l,
      supergraphHash: sha256(l.supergraphSdl),
      createdAt: new Date(),
      rejectedBy: [],
      appliedBy: [],
    };
    await this.launches.insertOne(doc);
    return doc;
  }

  async deleteLaunch(id: string): Promise<void> {
    await this.launches.deleteOne({ _id: id, status: 'pending' });
  }

  async markLaunched(id: string): Promise<void> {
    await this.launches.updateOne({ _id: id }, { $set: { status: 'launched' } });
  }

  async reportRejected(id: string, report: LaunchReport): Promise<void> {
    await this.launches.updateOne({ _id: id }, { $push: { rejectedBy: report } });
  }

  async reportApplied(id: string, report: LaunchReport): Promise<void> {
    await this.launches.updateOne({ _id: id }, { $push: { appliedBy: report } });
  }

  // ---- the current launch pointer ----

  async currentLaunchId(): Promise<string | null> {
    return (await this.pointer.findOne({ _id: 'current' }))?.launchId ?? null;
  }

  async currentLaunch(): Promise<LaunchDoc | null> {
    const id = await this.currentLaunchId();
    return id ? this.launch(id) : null;
  }

  /**
   * Moves the pointer from `expected` (null: the registry is empty) to `launch`, atomically:
   * false when another publish moved it first (nothing was changed then).
   */
  async compareAndSetCurrent(expected: string | null, launch: LaunchDoc): Promise<boolean> {
    const updatedAt = new Date();
    if (expected === null) {
      try {
        await this.pointer.insertOne({ _id: 'current', launchId: launch._id, seq: launch.seq, updatedAt });
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    }
    const result = await this.pointer.updateOne(
      { _id: 'current', launchId: expected },
      { $set: { launchId: launch._id, seq: launch.seq, updatedAt } },
    );
    return result.modifiedCount === 1;
  }

  // ---- operations seen ----

  /** One batched write of usage records: `$inc` upserts, never one write per request. */
  async recordOperations(usages: OperationUsage[]): Promise<void> {
    if (!usages.length) return;
    const ops: AnyBulkWriteOperation<OperationDoc>[] = usages.map((u) => ({
      updateOne: {
        filter: { _id: operationKey(u.signatureHash, u.clientName) },
        update: {
          $inc: { count: u.count },
          $max: { lastSeen: u.lastSeen },
          $min: { firstSeen: u.firstSeen },
          $setOnInsert: { signatureHash: u.signatureHash, operationName: u.operationName, body: u.body, clientName: u.clientName },
        },
        upsert: true,
      },
    }));
    await this.operationsSeen.bulkWrite(ops, { ordered: false });
  }

  async operationsSince(since: Date, limit = 5000): Promise<OperationDoc[]> {
    return this.operationsSeen.find({ lastSeen: { $gte: since } }).sort({ lastSeen: -1 }).limit(limit).toArray();
  }
}
