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
