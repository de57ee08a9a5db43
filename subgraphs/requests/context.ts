import type { Viewer } from '../../shared/platform/auth';
import { subgraphContext, type SubgraphContext } from '../../shared/subgraph/context';
import type { SubgraphDeps } from '../../shared/subgraph/subgraph-deps';
import { calendarSyncFor } from './calendar-sync';
import { createLoaders, type Loaders } from './loaders';
import { createModels, type Models } from './models';
import type { CalendarSync } from './services/calendar';

export type Context = SubgraphContext<Models, Loaders> & {
  /** This replica's working calendar: an admin edit reloads it here and announces it to the others. */
  calendarSync: CalendarSync;
};

/** One context per operation: the subgraph's models and a fresh set of loaders. */
export function createContext(deps: SubgraphDeps, viewer: Viewer): Context {
  // Assigned onto the kit's object (not spread): renewLoaders replaces loaders on that object.
  return Object.assign(subgraphContext(deps, viewer, createModels, (models) => createLoaders(models, deps.clock)), { calendarSync: calendarSyncFor(deps) });
}
