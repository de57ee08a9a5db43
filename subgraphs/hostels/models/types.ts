import type { Types } from 'mongoose';

/**
 * Lean shapes of the stored documents, shared by models, services and resolvers (and mapped to
 * the GraphQL types in `codegen.json`, so resolver parents are typed as what the loaders return).
 */

export type BedGender = 'MALE' | 'FEMALE';
export type StayStatus = 'RESERVED' | 'CHECKED_IN' | 'CHECKED_OUT' | 'CANCELLED' | 'NO_SHOW';

export interface HostelDoc {
  _id: string;
  name: string;
  address: string;
  communityCode: string;
  districtCode: string;
  lat?: number | null;
  lng?: number | null;
  phone?: string | null;
  totalBeds: number;
  services: string[];
  hongKongMacaoDesk: boolean;
  operatorId?: string | null;
  /** Set by an admin's closeHostel: no new applications; cleared by reopenHostel. */
  closedAt?: Date | null;
}

/** A hostel as a resolver parent; events carry the free-bed figure computed when they happened. */
export type HostelParent = HostelDoc & { freeBedsAtEvent?: number };

export interface HostelBedDoc {
  _id: string;
  hostelId: string;
  code: string;
  room: string;
  gender?: BedGender | null;
  /** Set by an admin's closeHostelBed: never allocated again until reopened. */
  closedAt?: Date | null;
}

/** One bed held for one night: the unit that can never be booked twice. */
export interface BedNightDoc {
  _id: Types.ObjectId;
  hostelId: string;
  bedId: string;
  /** YYYY-MM-DD, the Shenzhen calendar day the night starts on. */
  night: string;
  stayId: Types.ObjectId;
}

export interface HostelStayDoc {
  _id: Types.ObjectId;
  residentId: string;
  hostelId: string;
  bedId: string;
  status: StayStatus;
  checkInDate: string;
  checkOutDate: string;
  nights: number;
  graduationDate: string;
  school: string;
  hongKongMacaoYouth: boolean;
  /** The client's key, or `stay:<id>` when none was sent (see models/stay.ts). */
  idempotencyKey: string;
  /** What the key was first used with (the kit's createIdempotent): same key, other input is refused. */
  idempotencyFingerprint?: string;
  createdAt: Date;
  checkedInAt?: Date | null;
  checkedOutAt?: Date | null;
  cancelledAt?: Date | null;
  noShowAt?: Date | null;
}

/**
 * The resident's one active (RESERVED or CHECKED_IN) stay, keyed by resident id: inserting it is
 * how an application claims the right to exist, so two applications of one resident cannot both
 * pass (a unique insert is the one write FerretDB makes atomic; see README).
 */
export interface ActiveSlotDoc {
  _id: Types.ObjectId;
  /** `active:<residentId>` (services/slots.ts activeStayScope). */
  scope: string;
  /** Always 0: one active stay per resident. */
  slot: number;
  /** The stay's id (hex). */
  holder: string;
  residentId: string;
  stayId: Types.ObjectId;
  since: Date;
  /** The idempotency key of the application that claimed it, so its own retry can recognise it. */
  idempotencyKey?: string;
}

/**
 * One per state-machine step a stay took. Unique on (stayId, from): of two actions racing from the
 * same status (a desk's check-in and the no-show sweep, two check-outs…) exactly one inserts.
 */
export interface StayTransitionDoc {
  _id: Types.ObjectId;
  stayId: Types.ObjectId;
  from: StayStatus;
  to: StayStatus;
  at: Date;
  /** Who acted: a viewer's subject, or `system` for the sweeps. */
  by: string;
}

export interface HostelEligibilityParent {
  eligible: boolean;
  reasons: string[];
  nightsUsed: number;
  nightsRemaining: number;
  graduationDate: string | null;
}

export interface HostelProfileParent {
  graduationDate: string;
  school: string;
  hongKongMacaoYouth: boolean;
  nightsUsed: number;
}

export interface CommunityRef {
  code: string;
}
export interface DistrictRef {
  code: string;
}
export interface DepartmentRef {
  id: string;
}
export interface ResidentRef {
  id: string;
}
