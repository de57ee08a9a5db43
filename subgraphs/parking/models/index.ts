import type { Connection } from 'mongoose';
import { auditModel, type AuditModel } from '../../../shared/subgraph/audit';
import { limitSlotModel, type LimitSlotModel } from './limit-slot';
import { lotModel, type LotModel } from './lot';
import { reservationModel, type ReservationModel } from './reservation';
import { spaceModel, type SpaceModel } from './space';
import { transitionModel, type TransitionModel } from './transition';
import { vehicleModel, type VehicleModel } from './vehicle';

export interface Models {
  Lot: LotModel;
  LimitSlot: LimitSlotModel;
  Space: SpaceModel;
  Reservation: ReservationModel;
  Transition: TransitionModel;
  Vehicle: VehicleModel;
  /** Admin and owner changes to lots (insert-only, kit `audit.ts`). */
  Audit: AuditModel;
}

/** The parking models bound to the subgraph's own connection (reused when already registered). */
export function createModels(conn: Connection): Models {
  return {
    Lot: lotModel(conn),
    LimitSlot: limitSlotModel(conn),
    Space: spaceModel(conn),
    Reservation: reservationModel(conn),
    Transition: transitionModel(conn),
    Vehicle: vehicleModel(conn),
    Audit: auditModel(conn, 'parking_audit'),
  };
}

export type { LotRecord, LotWithDistance, SharingWindow, OwnerType } from './lot';
export type { ReservationRecord, ReservationStatus } from './reservation';
export type { SpaceRecord } from './space';
export type { VehicleRecord } from './vehicle';
