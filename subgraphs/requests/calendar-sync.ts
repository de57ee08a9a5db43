import { workingCalendar, type WorkingCalendar } from '../../shared/subgraph/calendar';
import { ReferenceData } from '../../shared/subgraph/reference-data';
import type { SubgraphDeps } from '../../shared/subgraph/subgraph-deps';
import { createLogger } from '../../shared/platform/logger';
import { createModels } from './models';
import { loadCalendarDays, type CalendarSync } from './services/calendar';

const syncs = new WeakMap<SubgraphDeps, CalendarSync>();

/** How often each replica reloads the calendar without being told (a lost notice heals within this). */
export const CALENDAR_REFRESH_MS = 5 * 60_000;

/**
 * The calendar sync of one replica (its deps): it loads `calendar_days` into `calendar` (the
 * process-wide `workingCalendar` that every deadline counts with, unless a test gives a second
 * in-process replica its own) and reloads on every change any replica announces.
 */
export function calendarSyncFor(deps: SubgraphDeps, calendar: WorkingCalendar = workingCalendar): CalendarSync {
  let sync = syncs.get(deps);
  if (!sync) {
    const models = createModels(deps.db.conn);
    sync = new ReferenceData({
      name: 'working-calendar',
      load: () => loadCalendarDays({ models }),
      apply: (days) => calendar.replace(days),
      pubsub: deps.pubsub,
      refreshMs: CALENDAR_REFRESH_MS,
      log: createLogger('requests'),
    });
    syncs.set(deps, sync);
  }
  return sync;
}
