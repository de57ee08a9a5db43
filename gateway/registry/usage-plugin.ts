import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { createLogger, type Logger } from '../../shared/platform/logger';
import { isIntrospectionOnly, operationSignature, type OperationSignature } from './signature';
import type { OperationUsage, RegistryStore } from './store';

export const CLIENT_NAME_HEADER = 'apollographql-client-name';
/** The app's version (Apollo's convention), so checks can say which releases an operation comes from. */
export const CLIENT_VERSION_HEADER = 'apollographql-client-version';

export interface UsageRecorderOptions {
  /** Flush interval (default 5000 ms). */
  flushIntervalMs?: number;
  /** Distinct (operation, client) pairs kept before an early flush (default 1000). */
  maxPending?: number;
  logger?: Logger;
}

/**
 * Records the operations the gateway serves (signature, name, client name, count, first/last
 * seen) for schema checks. The hot path only touches memory: counts are batched per (signature,
 * client) and flushed every few seconds as `$inc` upserts in one bulk write; the signature of a
 * parsed document is computed once (Apollo Server reuses parsed documents from its cache).
 */
export class UsageRecorder {
  private pending = new Map<string, OperationUsage>();
  private readonly signatures = new WeakMap<DocumentNode, Map<string, OperationSignature | null>>();
  private readonly timer: NodeJS.Timeout;
  private readonly maxPending: number;
  private readonly log: Logger;
  private flushing: Promise<void> = Promise.resolve();
  /** Usage records that could not be written (database down); dropped, counted for visibility. */
  dropped = 0;

  constructor(private readonly store: Pick<RegistryStore, 'recordOperations'>, options: UsageRecorderOptions = {}) {
    this.maxPending = options.maxPending ?? 1000;
    this.log = options.logger ?? createLogger('gateway');
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 5000);
    this.timer.unref();
  }

  /** Counts one served operation (per client name and, when the client sends one, version). */
  record(document: DocumentNode, operationName: string | null | undefined, clientName: string | undefined, clientVersion?: string | null): void {
    let byName = this.signatures.get(document);
    if (!byName) {
      byName = new Map();
      this.signatures.set(document, byName);
    }
    const nameKey = operationName ?? '';
    let signature = byName.get(nameKey);
    if (signature === undefined) {
      signature = isIntrospectionOnly(document, operationName) ? null : operationSignature(document, operationName) ?? null;
      byName.set(nameKey, signature);
    }
    if (!signature) return;
    const client = (clientName ?? '').trim().slice(0, 64) || 'unknown';
    const version = (clientVersion ?? '').trim().slice(0, 64) || null;
    const key = `${signature.hash}\u0000${client}\u0000${version ?? ''}`;
    const now = new Date();
    const entry = this.pending.get(key);
    if (entry) {
      entry.count += 1;
      entry.lastSeen = now;
      return;
    }
    this.pending.set(key, {
      signatureHash: signature.hash,
      operationName: signature.operationName,
      body: signature.body,
      clientName: client,
      clientVersion: version,
      count: 1,
      firstSeen: now,
      lastSeen: now,
    });
    if (this.pending.size >= this.maxPending) void this.flush();
  }

  /** Writes what was counted since the last flush (one bulk write). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.pending.size) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.store.recordOperations(batch);
      } catch (err) {
        this.dropped += batch.length;
        this.log.warn({ err, records: batch.length }, 'could not record operation usage');
      }
    });
    return this.flushing;
  }

  /** The Apollo Server plugin that feeds this recorder (only operations that passed validation). */
  plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
    const recorder = this;
    return {
      async requestDidStart({ request }) {
        const clientName = request.http?.headers.get(CLIENT_NAME_HEADER);
        const clientVersion = request.http?.headers.get(CLIENT_VERSION_HEADER);
        return {
          async didResolveOperation({ document, operationName }) {
            recorder.record(document, operationName, clientName, clientVersion);
          },
        };
      },
      async serverWillStart() {
        return {
          async serverWillStop() {
            await recorder.stop();
          },
        };
      },
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

/** An Apollo Server plugin recording operation usage into the registry (see `UsageRecorder`). */
export function createUsagePlugin<TContext extends BaseContext>(
  store: Pick<RegistryStore, 'recordOperations'>,
  options?: UsageRecorderOptions,
): { plugin: ApolloServerPlugin<TContext>; recorder: UsageRecorder } {
  const recorder = new UsageRecorder(store, options);
  return { plugin: recorder.plugin<TContext>(), recorder };
}
