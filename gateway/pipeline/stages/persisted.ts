import { GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { securityError } from '../../security/errors';
import { BoundedStringCache, sha256, type TrustedOperations } from '../../security/trusted';
import type { GraphQLParams } from '../types';

/** Where a request's source came from. */
export interface ResolvedSource {
  source: string;
  /** sha256 of the source. */
  hash: string;
  /** The client sent a persisted-query hash (APQ or a trusted id). */
  persisted: boolean;
  /** The client sent both hash and query: an APQ registration, kept once the operation is admitted. */
  register: boolean;
}

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });

/**
 * Operations registered ahead of time by app versions (the schema registry's trusted documents),
 * looked up by id on the hot path: an in-memory read, kept fresh by whoever owns it.
 */
export interface RegisteredOperationSource {
  /** The body registered under this id (a manifest id, or the sha256 of the body). */
  body(id: string): string | undefined;
}

export interface PersistedOperationsOptions {
  /** Automatic persisted queries: clients may register a hash by sending it with its query. */
  apq: boolean;
  /** Trusted mode: only the manifest's operations run (`TRUSTED_OPERATIONS=on`). */
  trusted?: TrustedOperations;
  /** Operations apps registered in the schema registry: run by id, and trusted in trusted mode. */
  registered?: RegisteredOperationSource;
}

/**
 * Automatic persisted queries (Apollo's protocol), trusted operations and the registry's
 * registered operations, in one place. The source is resolved before parsing (a hash-only request
 * has nothing to parse yet): the trusted manifest first, then registered operations, then APQ
 * registrations. Trust is decided after the document limits; an APQ registration is kept only for
 * an admitted operation, so a refused document is never stored.
 */
export class PersistedOperations {
  private readonly apqCache?: BoundedStringCache;

  constructor(private readonly options: PersistedOperationsOptions) {
    if (options.apq && !options.trusted) this.apqCache = new BoundedStringCache();
  }

  async source(params: GraphQLParams): Promise<ResolvedSource> {
    const persisted = params.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
    const query = typeof params.query === 'string' && params.query.length ? params.query : undefined;
    if (!persisted) {
      if (!query) throw badRequest('GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.');
      return { source: query, hash: sha256(query), persisted: false, register: false };
    }
    const { trusted, registered } = this.options;
    if (!this.options.apq && !trusted && !registered) {
      throw new GraphQLError('PersistedQueryNotSupported', { extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } });
    }
    if (persisted.version !== 1) throw badRequest('Unsupported persisted query version: only version 1 is known');
    if (typeof persisted.sha256Hash !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(persisted.sha256Hash)) {
      throw badRequest('extensions.persistedQuery.sha256Hash must be the hash (or trusted id) of the operation');
    }
    const hash = persisted.sha256Hash;
    if (query) {
      if (sha256(query) !== hash && !trusted?.hasId(hash) && registered?.body(hash) !== query) {
        throw badRequest('extensions.persistedQuery.sha256Hash does not match the sha256 of the query');
      }
      return { source: query, hash: sha256(query), persisted: true, register: true };
    }
    const known = trusted?.body(hash) ?? registered?.body(hash) ?? (await this.apqCache?.get(hash));
    if (known === undefined) {
      if (trusted && !this.options.apq) {
        throw securityError('PERSISTED_QUERY_NOT_ALLOWED', 'Only the operations of the trusted list can be persisted or run on this gateway');
      }
      throw new GraphQLError('PersistedQueryNotFound', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    }
    return { source: known, hash: sha256(known), persisted: true, register: false };
  }

  /** Trusted mode: only listed operations run. */
  checkTrust(resolved: ResolvedSource, document: DocumentNode, operation: OperationDefinitionNode, cache: Map<string, boolean>): void {
    const trusted = this.options.trusted;
    if (!trusted) return;
    // A registered operation passed the registry's checks: it is as trusted as the manifest's.
    // (Its body is looked up by the sha256 of the source; registrations change, so not cached.)
    if (this.options.registered?.body(resolved.hash) !== undefined) return;
    const key = `${resolved.hash}:${operation.name?.value ?? ''}`;
    let ok = cache.get(key);
    if (ok === undefined) {
      ok = trusted.trusts(resolved.hash, document, operation);
      if (cache.size > 10_000) cache.clear();
      cache.set(key, ok);
    }
    if (ok) return;
    if (resolved.persisted) {
      throw securityError('PERSISTED_QUERY_NOT_ALLOWED', 'Only the operations of the trusted list can be persisted or run on this gateway');
    }
    throw securityError('OPERATION_NOT_TRUSTED', 'This operation is not in the trusted list of this gateway', {
      operationName: operation.name?.value ?? null,
    });
  }

  /** Keeps an admitted APQ registration. */
  async keep(resolved: ResolvedSource): Promise<void> {
    if (resolved.register && this.apqCache) await this.apqCache.set(resolved.hash, resolved.source);
  }
}
