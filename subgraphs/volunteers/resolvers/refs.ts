import type { Context } from '../context';

/**
 * Entity representations as the gateway sends them. Reference resolvers are typed here because
 * `scripts/codegen.ts` with `federation: true` emits a file that does not compile when given a
 * schema built by `buildSubgraphSchema` (it names `_Service` and `Query_EntitiesArgs` without
 * declaring them), so this subgraph generates with `federation: false`.
 */
export type ReferenceResolver<TKey extends string, TResult> = (
  ref: { __typename: string } & Record<TKey, string>,
  ctx: Context,
) => TResult | Promise<TResult>;

export const residentRef = (id: string) => ({ id });
