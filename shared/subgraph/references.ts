import { GraphQLError } from 'graphql';
import { signViewer, type Viewer } from '../platform/auth';
import type { CityConfig } from '../platform/config';
import { badInput } from '../platform/errors';
import type { SubgraphName } from './subgraph-deps';

/** How a subgraph asks another whether an entity exists. */
export interface ReferenceOptions {
  /** Each owner's GraphQL URL (`CityConfig.subgraphUrls`); an owner without one is not asked. */
  urls: Partial<Record<SubgraphName, string | undefined>>;
  /** Signs the viewer header the owner verifies, as the gateway does (`INTERNAL_SECRET`). */
  internalSecret: string;
  /** How long an entity the owner confirmed is trusted without asking again (default 30 s). */
  ttlMs?: number;
  /** How long one question may take before the owner counts as down (default 3 s). */
  timeoutMs?: number;
  /** Most entities remembered; the oldest go first (default 10 000). */
  maxEntries?: number;
}

/** One entity to look up at its owner. */
export interface EntityQuery {
  owner: SubgraphName;
  typename: string;
  /** The entity's key fields, as in a `_entities` representation (`{ id }`, `{ code }`). */
  key: Record<string, string>;
  /** The fields to read, a GraphQL selection on the type (`id name`). */
  selection: string;
  /**
   * Whether a remembered answer is good enough; a remembered entity that fails it (a resident not
   * verified yet) is asked about again, so a change at the owner shows at once.
   */
  accept?: (entity: Record<string, unknown>) => boolean;
}

/** The owner of an entity could not answer; the write that needed the answer stores nothing. */
export function ownerUnavailable(owner: SubgraphName, field: string, why: string): GraphQLError {
  const reason = `the ${owner} service, which owns it, cannot confirm it right now (${why}); nothing was changed, try again shortly`;
  return new GraphQLError(`${field}: ${reason}`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: owner, field, reason } });
}

/** Why an owner gave no answer; the caller names its own field (see `ownerUnavailable`). */
class OwnerDown extends Error {}

/**
 * Asks the subgraph that owns an entity whether it exists, over the owner's `_entities` with a
 * signed viewer header (the caller's own viewer: the owner applies its own rules). Confirmed
 * entities are remembered for a short while; absences never are, so an entity created a moment
 * ago is found. Questions about one entity that overlap share one call (a burst of 50 writes by one
 * resident asks the registry once, not 50 times).
 */
export class References {
  private readonly cache = new Map<string, { entity: Record<string, unknown>; expires: number }>();
  private readonly inFlight = new Map<string, Promise<Record<string, unknown> | null>>();
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: ReferenceOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** Whether the owner has a URL at all (not in a test running one subgraph alone). */
  knows(owner: SubgraphName): boolean {
    return !!this.options.urls[owner];
  }

  /**
   * The entity as its owner answers it, `null` when the owner does not know it, `undefined` when
   * the owner has no URL (NODE_ENV=test only). Throws SUBGRAPH_UNAVAILABLE (naming `field`) when
   * the owner does not answer.
   */
  async lookup<T extends Record<string, unknown>>(viewer: Viewer, q: EntityQuery, field: string): Promise<T | null | undefined> {
    const url = this.options.urls[q.owner];
    if (!url) return undefined;
    const cacheKey = `${q.owner}|${q.typename}|${JSON.stringify(q.key)}|${q.selection}`;
    const hit = this.cache.get(cacheKey);
    if (hit && hit.expires > Date.now() && (!q.accept || q.accept(hit.entity))) return hit.entity as T;
    let asking = this.inFlight.get(cacheKey);
    if (!asking) {
      asking = this.ask(url, viewer, q)
        .then((entity) => {
          this.cache.delete(cacheKey);
          if (entity) {
            if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
            this.cache.set(cacheKey, { entity, expires: Date.now() + this.ttlMs });
          }
          return entity;
        })
        .finally(() => this.inFlight.delete(cacheKey));
      this.inFlight.set(cacheKey, asking);
    }
    try {
      return (await asking) as T | null;
    } catch (err) {
      // Each caller of a shared question is told about its own field.
      if (err instanceof OwnerDown) throw ownerUnavailable(q.owner, field, err.message);
      throw err;
    }
  }

  /**
   * Refuses (BAD_USER_INPUT naming `field`) a reference the owner does not know; returns the
   * entity (`undefined` when the owner has no URL).
   */
  async require<T extends Record<string, unknown>>(viewer: Viewer, q: EntityQuery, field: string): Promise<T | undefined> {
    const entity = await this.lookup<T>(viewer, q, field);
    if (entity === null) throw badInput(field, `is not a known ${q.typename} (the ${q.owner} service has no ${Object.values(q.key).join(' ')})`);
    return entity;
  }

  private async ask(url: string, viewer: Viewer, q: EntityQuery): Promise<Record<string, unknown> | null> {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${q.typename} { ${q.selection} } } }`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-citygraph-viewer': signViewer(viewer, this.options.internalSecret) },
        body: JSON.stringify({ query, variables: { r: [{ __typename: q.typename, ...q.key }] } }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new OwnerDown((err as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : 'not reachable');
    }
    let body: { data?: { _entities?: Array<Record<string, unknown> | null> }; errors?: Array<{ message: string }> };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new OwnerDown(`HTTP ${res.status} without a GraphQL answer`);
    }
    const entities = body.data?._entities;
    if (!Array.isArray(entities) || entities.length !== 1) {
      throw new OwnerDown(body.errors?.[0]?.message ?? `HTTP ${res.status}`);
    }
    // A null with errors is the owner failing to look (its database down), not "no such entity".
    if (entities[0] == null && body.errors?.length) throw new OwnerDown(body.errors[0].message);
    return entities[0] ?? null;
  }
}

const perConfig = new WeakMap<CityConfig, References>();

/** The one References of a configuration, so its cache is shared by every request of a process. */
export function referencesFor(config: CityConfig): References {
  let refs = perConfig.get(config);
  if (!refs) {
    refs = new References({ urls: config.subgraphUrls ?? {}, internalSecret: config.internalSecret });
    perConfig.set(config, refs);
  }
  return refs;
}
