import type { Viewer } from '../../shared/platform/auth';
import { subgraphContext, type SubgraphContext } from '../../shared/subgraph/context';
import type { SubgraphDeps } from '../../shared/subgraph/subgraph-deps';
import { createLoaders, type Loaders } from './loaders';
import { createModels, type Models } from './models';

export type Context = SubgraphContext<Models, Loaders>;

/** One context per operation: the subgraph's models and a fresh set of loaders. */
export function createContext(deps: SubgraphDeps, viewer: Viewer): Context {
  return subgraphContext(deps, viewer, createModels, (models) => createLoaders(models, deps.clock()));
}

/**
 * A subscription keeps one context for its whole life; each event gets fresh loaders (and a fresh
 * `now`) so counts are read as they are after the change, not as they were at the first event.
 */
export function refreshLoaders(ctx: Context): void {
  ctx.loaders = createLoaders(ctx.models, ctx.clock());
}
