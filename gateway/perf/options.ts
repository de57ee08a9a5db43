import { z } from 'zod';
import { parseEnv } from '../../shared/platform/config';
import type { ResponseCacheOptions } from './response-cache';

/** The gateway's performance levers (see BENCHMARKS.md for what each gave). */
export interface PerfOptions {
  /**
   * The HTTP client to subgraphs (`SUBGRAPH_FETCHER`): `undici` (default) is a shared keep-alive pool;
   * `default` is Apollo Gateway's own make-fetch-happen, kept for comparison.
   */
  fetcher: 'undici' | 'default';
  /** Identical subgraph queries in flight share one fetch (`SUBGRAPH_DEDUPE`, default on). */
  dedupe: boolean;
  /**
   * Identical queries (document, operation name, variables, viewer) arriving while one of them
   * executes share its answer (`REQUEST_SHARING`, default on); never mutations or subscriptions.
   * See `gateway/perf/request-sharing.ts`.
   */
  requestSharing: boolean;
  /** Whole answers reused as long as the subgraphs' cache hints allow (`RESPONSE_CACHE`, default on). */
  responseCache: ResponseCacheOptions;
}

/** Reads the performance settings from the environment (fails fast naming the bad variable). */
export function loadPerfOptions(env: NodeJS.ProcessEnv = process.env): PerfOptions {
  const e = parseEnv(
    {
      SUBGRAPH_FETCHER: z.enum(['undici', 'default']).default('undici'),
      SUBGRAPH_DEDUPE: z.enum(['on', 'off']).default('on'),
      REQUEST_SHARING: z.enum(['on', 'off']).default('on'),
      RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
      RESPONSE_CACHE_MAX_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
      RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(1000),
      RESPONSE_CACHE_MAX_BYTES: z.coerce.number().int().min(1024).max(4_294_967_296).default(64 * 1024 * 1024),
    },
    env,
  );
  return {
    fetcher: e.SUBGRAPH_FETCHER,
    dedupe: e.SUBGRAPH_DEDUPE === 'on',
    requestSharing: e.REQUEST_SHARING === 'on',
    responseCache: {
      enabled: e.RESPONSE_CACHE === 'on',
      maxTtlMs: e.RESPONSE_CACHE_MAX_TTL_MS,
      maxEntries: e.RESPONSE_CACHE_MAX_ENTRIES,
      maxBytes: e.RESPONSE_CACHE_MAX_BYTES,
    },
  };
}
