import { createHash, randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { Database } from '../../shared/platform/db';

type Collection<T extends mongo.Document> = mongo.Collection<T>;
type Db = mongo.Db;
type AnyBulkWriteOperation<T extends mongo.Document> = mongo.AnyBulkWriteOperation<T>;

/**
 * The schema registry's storage, in its own database (`<prefix>_registry`). Nothing relies on
 * transactions, nor on read-modify-write updates being atomic (on FerretDB 1.24 two concurrent
 * conditional `updateOne`s can both match, and `$inc` can lose increments: measured). What is
 * atomic everywhere is a unique key, so:
 * - ids (`L7`, `parking@3`) are proposed by a counter and made unique by the `_id` insert;
 * - launches form a chain: moving the current launch from P to L inserts the link `{ _id: P,
 *   launchId: L }`, so exactly one launch can ever follow P (the others get a duplicate key and
 *   retry on top of the winner); the `current` pointer document is a cache of the chain's tip,
 *   written by the winner and repaired by anyone who finds it behind;
 * - launches and versions are written before they are linked, so a reader never sees a pointer
 *   to a launch that does not exist.
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
  /** When the current-launch pointer moved to it (ids are allocated before, so their order may differ). */
  launchedAt?: Date;
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
  /** `apollographql-client-version`, when the client sent one (absent on records made before versions were kept). */
  clientVersion?: string | null;
  firstSeen: Date;
  lastSeen: Date;
  count: number;
}

/** A check's or publish's verdict, kept for the admin page's "recent checks" (`checks` collection). */
export interface CheckDoc {
  _id: string;
  kind: 'check' | 'publish';
  subgraph: string;
  ok: boolean;
  outcome: string;
  summary: string;
  author: string;
  /** The launch a publish made. */
  launchId?: string;
  createdAt: Date;
}

/** One operation of an app's manifest (Apollo's persisted query manifest entry). */
export interface AppOperation {
  /** What clients send as `extensions.persistedQuery.sha256Hash`. */
  id: string;
  name: string | null;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

/**
 * The operations one version of one app registered (a trusted-documents deployment). Ids read
 * `<client>@<version>`; a published manifest never changes (a new app version publishes anew).
 */
export interface AppManifestDoc {
  _id: string;
  client: string;
  version: string;
  operations: AppOperation[];
  /** sha256 of the operations, so publishing the same manifest again is a no-op. */
  hash: string;
  author: string;
  createdAt: Date;
}

interface PointerDoc {
  _id: 'current';
  launchId: string;
  seq: number;
  /** Position of the launch in the chain (1 for the first launch). */
  position: number;
  updatedAt: Date;
}

/** "The launch after `_id` is `launchId`": the unique key that makes moving the pointer safe. */
interface ChainLinkDoc {
  /** The previous launch id, or ROOT for the first launch. */
  _id: string;
  launchId: string;
  seq: number;
  position: number;
  at: Date;
}

const ROOT = '(root)';

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
  clientVersion: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** One record per operation, client and client version (records without a version keep their old keys). */
export function operationKey(signatureHash: string, clientName: string, clientVersion?: string | null): string {
  return sha256(`${signatureHash}\u0000${clientName}${clientVersion ? `\u0000${clientVersion}` : ''}`).slice(0, 40);
}

export class RegistryStore {
  readonly versions: Collection<SubgraphVersionDoc>;
  readonly launches: Collection<LaunchDoc>;
  readonly operationsSeen: Collection<OperationDoc>;
  readonly appManifests: Collection<AppManifestDoc>;
  private readonly pointer: Collection<PointerDoc>;
  private readonly chain: Collection<ChainLinkDoc>;
  private readonly counters: Collection<CounterDoc>;
  private readonly checks: Collection<CheckDoc>;

  private constructor(private readonly db: Db, private readonly owned?: Database) {
    this.versions = db.collection<SubgraphVersionDoc>('subgraph_versions');
    this.launches = db.collection<LaunchDoc>('launches');
    this.operationsSeen = db.collection<OperationDoc>('operations');
    this.appManifests = db.collection<AppManifestDoc>('app_manifests');
    this.pointer = db.collection<PointerDoc>('current_launch');
    this.chain = db.collection<ChainLinkDoc>('launch_chain');
    this.counters = db.collection<CounterDoc>('counters');
    this.checks = db.collection<CheckDoc>('checks');
  }

  /** Opens the store on a connected database (its own, e.g. `citygraph_registry`) and creates its indexes. */
  static async open(database: Database, options: { closeDatabase?: boolean } = {}): Promise<RegistryStore> {
    const store = new RegistryStore(database.conn.db!, options.closeDatabase ? database : undefined);
    await store.ensureIndexes();
    return store;
  }

  private async ensureIndexes(): Promise<void> {
    for (const name of ['subgraph_versions', 'launches', 'operations', 'app_manifests', 'current_launch', 'launch_chain', 'counters']) {
      await this.db.createCollection(name).catch((err: { code?: number; codeName?: string }) => {
        if (err.code !== 48 && err.codeName !== 'NamespaceExists') throw err;
      });
    }
    await this.versions.createIndex({ subgraph: 1, seq: -1 }, { unique: true, name: 'subgraph_seq' });
    await this.launches.createIndex({ seq: -1 }, { unique: true, name: 'seq' });
    await this.operationsSeen.createIndex({ lastSeen: -1 }, { name: 'last_seen' });
    await this.checks.createIndex({ createdAt: -1 }, { name: 'created_at' });
  }

  async close(): Promise<void> {
    await this.owned?.close();
  }

  /**
   * Allocates the next number of a counter and inserts the document made with it. The counter
   * only proposes a number (FerretDB does not make `$inc` in findAndModify atomic); the unique
   * `_id` is what guarantees that two writers never get the same id: a duplicate-key error means
   * someone else took that number, so take the next one.
   */
  private async insertNumbered<T extends { _id: string }>(counter: string, collection: Collection<T>, make: (seq: number) => T): Promise<T> {
    for (let attempt = 0; attempt < 50; attempt++) {
      let seq: number;
      try {
        const doc = await this.counters.findOneAndUpdate({ _id: counter }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });
        seq = doc!.seq;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) continue; // two first upserts at once
        throw err;
      }
      const doc = make(seq);
      try {
        await collection.insertOne(doc as never);
        return doc;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    }
    throw new Error(`could not allocate a number from counter ${counter}`);
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
    return this.insertNumbered(`version:${v.subgraph}`, this.versions, (seq) => ({
      ...v,
      _id: `${v.subgraph}@${seq}`,
      seq,
      hash: sha256(`${v.routingUrl}\n${v.sdl}`),
      createdAt: new Date(),
    }));
  }

  async deleteVersion(id: string): Promise<void> {
    await this.versions.deleteOne({ _id: id });
  }

  // ---- launches ----

  async launch(id: string): Promise<LaunchDoc | null> {
    return this.launches.findOne({ _id: id });
  }

  async listLaunches(limit = 50): Promise<LaunchDoc[]> {
    return this.launches.find({ status: 'launched' }).sort({ launchedAt: -1, seq: -1 }).limit(limit).toArray();
  }

  async insertLaunch(l: Omit<LaunchDoc, '_id' | 'seq' | 'createdAt' | 'status' | 'rejectedBy' | 'appliedBy' | 'supergraphHash'>): Promise<LaunchDoc> {
    return this.insertNumbered('launch', this.launches, (seq) => ({
      ...l,
      _id: `L${seq}`,
      seq,
      status: 'pending' as const,
      supergraphHash: sha256(l.supergraphSdl),
      createdAt: new Date(),
      rejectedBy: [],
      appliedBy: [],
    }));
  }

  async deleteLaunch(id: string): Promise<void> {
    await this.launches.deleteOne({ _id: id, status: 'pending' });
  }

  /** After the pointer moved to it (a launch the pointer names is launched even if this never ran: see currentLaunch). */
  async markLaunched(id: string): Promise<void> {
    await this.launches.updateOne({ _id: id, status: 'pending' }, { $set: { status: 'launched', launchedAt: new Date() } });
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
    if (!id) return null;
    const launch = await this.launch(id);
    if (launch && launch.status === 'pending') {
      // The publisher stopped between moving the pointer and marking its launch: finish it.
      await this.markLaunched(id);
      launch.status = 'launched';
    }
    return launch;
  }

  /**
   * Moves the current launch from `expected` (null: the registry is empty) to `launch`. Exactly
   * one caller can move it from a given launch (unique chain link); false means another publish
   * moved it first and nothing was changed.
   */
  async compareAndSetCurrent(expected: string | null, launch: LaunchDoc): Promise<boolean> {
    const pointer = await this.pointer.findOne({ _id: 'current' });
    if ((pointer?.launchId ?? null) !== expected) return false;
    const position = (pointer?.position ?? 0) + 1;
    try {
      await this.chain.insertOne({ _id: expected ?? ROOT, launchId: launch._id, seq: launch.seq, position, at: new Date() });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // Someone else linked a launch after `expected`; make sure the pointer shows it (they may have stopped).
      await this.repairPointer();
      return false;
    }
    await this.writePointer(launch._id, launch.seq, position);
    return true;
  }

  private async writePointer(launchId: string, seq: number, position: number): Promise<void> {
    const updatedAt = new Date();
    if (position === 1) {
      await this.pointer.insertOne({ _id: 'current', launchId, seq, position, updatedAt }).catch((err: { code?: number }) => {
        if (err.code !== 11000) throw err;
      });
      return;
    }
    await this.pointer.updateOne({ _id: 'current', position: { $lt: position } }, { $set: { launchId, seq, position, updatedAt } });
  }

  /** Moves the pointer to the tip of the chain when it is behind (a publisher stopped after linking). */
  async repairPointer(): Promise<void> {
    const pointer = await this.pointer.findOne({ _id: 'current' });
    let link = await this.chain.findOne({ _id: pointer?.launchId ?? ROOT });
    if (!link) return;
    for (let next = link; next; next = (await this.chain.findOne({ _id: next.launchId }))!) link = next;
    await this.writePointer(link.launchId, link.seq, link.position);
  }

  // ---- operations seen ----

  /** One batched write of usage records: `$inc` upserts, never one write per request. */
  async recordOperations(usages: OperationUsage[]): Promise<void> {
    if (!usages.length) return;
    const ops: AnyBulkWriteOperation<OperationDoc>[] = usages.map((u) => ({
      updateOne: {
        filter: { _id: operationKey(u.signatureHash, u.clientName, u.clientVersion) },
        update: {
          $inc: { count: u.count },
          $max: { lastSeen: u.lastSeen },
          $min: { firstSeen: u.firstSeen },
          $setOnInsert: { signatureHash: u.signatureHash, operationName: u.operationName, body: u.body, clientName: u.clientName, clientVersion: u.clientVersion },
        },
        upsert: true,
      },
    }));
    try {
      await this.operationsSeen.bulkWrite(ops, { ordered: false });
    } catch (err) {
      // Two gateways inserting the same new operation at once: one upsert loses with a duplicate
      // key; run those again (the document exists now, so they update it).
      const writeErrors = (err as { writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number } }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (!list.length || list.some((e) => e.code !== 11000)) throw err;
      await this.operationsSeen.bulkWrite(list.map((e) => ops[e.index]), { ordered: false });
    }
  }

  async operationsSince(since: Date, limit = 5000): Promise<OperationDoc[]> {
    return this.operationsSeen.find({ lastSeen: { $gte: since } }).sort({ lastSeen: -1 }).limit(limit).toArray();
  }

  /** Keeps a check's or publish's verdict (ids are random: verdicts are never updated). */
  async recordCheck(check: Omit<CheckDoc, '_id' | 'createdAt'>): Promise<CheckDoc> {
    const doc: CheckDoc = { ...check, _id: `C-${randomUUID()}`, createdAt: new Date() };
    await this.checks.insertOne(doc);
    return doc;
  }

  /** The most recent verdicts, newest first. */
  async recentChecks(limit = 50): Promise<CheckDoc[]> {
    return this.checks.find({}).sort({ createdAt: -1 }).limit(limit).toArray();
  }

  // ---- app manifests (registered operations) ----

  /**
   * Inserts a manifest; the `_id` (`client@version`) is unique, so of two publishes of the same
   * app version exactly one lands. Returns the stored manifest (the other one, on a duplicate).
   */
  async insertAppManifest(doc: Omit<AppManifestDoc, '_id' | 'createdAt' | 'hash'>): Promise<{ inserted: boolean; manifest: AppManifestDoc }> {
    const manifest: AppManifestDoc = {
      ...doc,
      _id: `${doc.client}@${doc.version}`,
      hash: sha256(JSON.stringify(doc.operations)),
      createdAt: new Date(),
    };
    try {
      await this.appManifests.insertOne(manifest);
      return { inserted: true, manifest };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      return { inserted: false, manifest: (await this.appManifests.findOne({ _id: manifest._id }))! };
    }
  }

  async appManifest(id: string): Promise<AppManifestDoc | null> {
    return this.appManifests.findOne({ _id: id });
  }

  /** Manifests, newest first; `client` narrows to one app. */
  async listAppManifests(client?: string, limit = 1000): Promise<AppManifestDoc[]> {
    return this.appManifests.find(client ? { client } : {}).sort({ createdAt: -1 }).limit(limit).toArray();
  }

  /** The ids of every manifest: what gateways compare with what they loaded (cheap to poll). */
  async appManifestIds(): Promise<string[]> {
    return (await this.appManifests.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
  }

  async appManifestsByIds(ids: string[]): Promise<AppManifestDoc[]> {
    return this.appManifests.find({ _id: { $in: ids } }).toArray();
  }

  async deleteAppManifest(id: string): Promise<boolean> {
    return (await this.appManifests.deleteOne({ _id: id })).deletedCount === 1;
  }
}
