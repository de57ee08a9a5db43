import type { Connection, Model, Schema } from 'mongoose';
import { auditModel, type AuditModel } from '../../../shared/subgraph/audit';
import { BED_MODEL, bedSchema } from './bed';
import { BED_NIGHT_MODEL, bedNightSchema } from './bed-night';
import { ACTIVE_SLOT_MODEL, activeSlotSchema } from './active-slot';
import { HOSTEL_MODEL, hostelSchema } from './hostel';
import { STAY_MODEL, staySchema } from './stay';
import { TRANSITION_MODEL, transitionSchema } from './transition';
import type { ActiveSlotDoc, BedNightDoc, HostelBedDoc, HostelDoc, HostelStayDoc, StayTransitionDoc } from './types';

export interface Models {
  Hostel: Model<HostelDoc>;
  Bed: Model<HostelBedDoc>;
  BedNight: Model<BedNightDoc>;
  Stay: Model<HostelStayDoc>;
  ActiveSlot: Model<ActiveSlotDoc>;
  Transition: Model<StayTransitionDoc>;
  /** Admin changes to hostels and beds (insert-only, kit `audit.ts`). */
  Audit: AuditModel;
}

function bind<T>(conn: Connection, name: string, schema: Schema<T>): Model<T> {
  return (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
}

/** The subgraph's models on its own connection; calling it again returns the same models. */
export function createModels(conn: Connection): Models {
  return {
    Hostel: bind(conn, HOSTEL_MODEL, hostelSchema),
    Bed: bind(conn, BED_MODEL, bedSchema),
    BedNight: bind(conn, BED_NIGHT_MODEL, bedNightSchema),
    Stay: bind(conn, STAY_MODEL, staySchema),
    ActiveSlot: bind(conn, ACTIVE_SLOT_MODEL, activeSlotSchema),
    Transition: bind(conn, TRANSITION_MODEL, transitionSchema),
    Audit: auditModel(conn, 'hostel_audit'),
  };
}

export type * from './types';
