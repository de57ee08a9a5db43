/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/**
 * Where a stay is in its life: RESERVED → CHECKED_IN → CHECKED_OUT, or RESERVED → CANCELLED, or
 * RESERVED → NO_SHOW when nobody checked in by the end of the check-in day.
 */
export type HostelStayStatus =
  | 'CANCELLED'
  | 'CHECKED_IN'
  | 'CHECKED_OUT'
  | 'NO_SHOW'
  | 'RESERVED';

/**
 * CONFIRMED → CHECKED_IN (entry inside the entry window) → COMPLETED (exit);
 * CONFIRMED → CANCELLED (by the resident) or NO_SHOW (no entry by the end of the entry window).
 * Walk-ins start at CHECKED_IN.
 */
export type ParkingReservationStatus =
  | 'CANCELLED'
  | 'CHECKED_IN'
  | 'COMPLETED'
  | 'CONFIRMED'
  | 'NO_SHOW';

export type RequestChannel =
  | 'COMMUNITY_ORDER'
  | 'GRID_PATROL'
  | 'HOTLINE_12345'
  | 'I_SHENZHEN'
  | 'ONLINE_MONITORING'
  /** Filed by a third-party app through Open311 GeoReport v2 (`/open311/v2/`) with its API key. */
  | 'OPEN311'
  | 'WALK_IN'
  | 'WECHAT';

/**
 * Lifecycle of a request. Open: SUBMITTED, DISPATCHED, ACCEPTED, IN_PROGRESS, RETURNED, REOPENED.
 * Finished: RESOLVED (awaiting evaluation), CLOSED, DUPLICATE.
 */
export type RequestStatus =
  | 'ACCEPTED'
  | 'CLOSED'
  | 'DISPATCHED'
  | 'DUPLICATE'
  | 'IN_PROGRESS'
  | 'REOPENED'
  | 'RESOLVED'
  | 'RETURNED'
  | 'SUBMITTED';

export type SubmitRequestInput = {
  address?: string | null | undefined;
  /** Yuan. */
  amountAtStake?: number | null | undefined;
  channel: RequestChannel;
  communityCode: string | number;
  description: string;
  /** The same key from the same submitter returns the first request. */
  idempotencyKey?: string | null | undefined;
  /** A responsibility-list item; classified from the text when absent. */
  itemCode?: string | number | null | undefined;
  lat?: number | null | undefined;
  lng?: number | null | undefined;
  parkingLotId?: string | number | null | undefined;
  peopleInvolved?: number | null | undefined;
  title: string;
  /** A threat to safety right now (gas, collapse, flooding…): level 1. */
  urgent?: boolean | null | undefined;
};

export type CommunitiesQueryVariables = Exact<{ [key: string]: never; }>;


export type CommunitiesQuery = { communities: Array<{ code: string, name: string, street: { name: string, district: { name: string } } }> };

export type CommunityDashboardQueryVariables = Exact<{
  code: string | number;
}>;


export type CommunityDashboardQuery = { community: { code: string, name: string, volunteerHoursThisMonth: number | null, street: { name: string, district: { name: string } }, requestStats: { received: number, resolved: number, resolutionRate: number, overdueLevel1: number }, parkingLots: Array<{ id: string, name: string, freeSpacesNow: number }> | null, hostels: Array<{ id: string, name: string, freeBeds: number }> | null, volunteerStations: Array<{ id: string, name: string }> | null } | null };

export type NearbyParkingQueryVariables = Exact<{
  lat: number;
  lng: number;
  radiusMeters: number;
}>;


export type NearbyParkingQuery = { parkingLotsNear: Array<{ id: string, name: string, distanceMeters: number | null, freeSpacesNow: number, pricePerHour: number, currentWindow: { startsAt: string, endsAt: string } | null, community: { name: string } | null, openRequests: Array<{ id: string, title: string, status: RequestStatus }> | null }> };

export type MyCityQueryVariables = Exact<{ [key: string]: never; }>;


export type MyCityQuery = { me: { id: string, name: string, requests: Array<{ id: string, title: string, status: RequestStatus, level: number, dueAt: string }>, parkingReservations: Array<{ id: string, status: ParkingReservationStatus, entryWindowStart: string | null, entryWindowEnd: string | null, lot: { name: string } }> | null, hostelStays: Array<{ id: string, status: HostelStayStatus, nightsLeft: number, hostel: { name: string } }> | null, volunteerProfile: { verifiedHours: number, starLevel: number, hoursToNextStar: number | null } | null } | null };

export type SubmitRequestMutationVariables = Exact<{
  input: SubmitRequestInput;
}>;


export type SubmitRequestMutation = { submitRequest: { id: string, status: RequestStatus, level: number, dueAt: string, category: { code: string, name: string } | null, department: { name: string } | null, community: { name: string } } };

export type ReserveParkingMutationVariables = Exact<{
  lotId: string | number;
  plate: string;
  arriveAt: string;
}>;


export type ReserveParkingMutation = { reserveParking: { id: string, status: ParkingReservationStatus, entryWindowStart: string | null, entryWindowEnd: string | null, lot: { id: string, freeSpacesNow: number } } };

export type LiveRequestsSubscriptionVariables = Exact<{
  communityCode: string | number;
}>;


export type LiveRequestsSubscription = { requestUpdated: { id: string, status: RequestStatus, level: number, parkingLot: { name: string, freeSpacesNow: number } | null } };

export type LiveParkingSubscriptionVariables = Exact<{
  lotId: string | number;
}>;


export type LiveParkingSubscription = { parkingAvailabilityChanged: { id: string, freeSpacesNow: number, openRequests: Array<{ id: string }> | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const CommunitiesDocument = new TypedDocumentString(`
    query Communities {
  communities {
    code
    name
    street {
      name
      district {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CommunitiesQuery, CommunitiesQueryVariables>;
export const CommunityDashboardDocument = new TypedDocumentString(`
    query CommunityDashboard($code: ID!) {
  community(code: $code) {
    code
    name
    street {
      name
      district {
        name
      }
    }
    requestStats {
      received
      resolved
      resolutionRate
      overdueLevel1
    }
    parkingLots {
      id
      name
      freeSpacesNow
    }
    hostels {
      id
      name
      freeBeds
    }
    volunteerStations {
      id
      name
    }
    volunteerHoursThisMonth
  }
}
    `) as unknown as TypedDocumentString<CommunityDashboardQuery, CommunityDashboardQueryVariables>;
export const NearbyParkingDocument = new TypedDocumentString(`
    query NearbyParking($lat: Float!, $lng: Float!, $radiusMeters: Int!) {
  parkingLotsNear(
    lat: $lat
    lng: $lng
    radiusMeters: $radiusMeters
    onlyAvailable: true
  ) {
    id
    name
    distanceMeters
    freeSpacesNow
    pricePerHour
    currentWindow {
      startsAt
      endsAt
    }
    community {
      name
    }
    openRequests {
      id
      title
      status
    }
  }
}
    `) as unknown as TypedDocumentString<NearbyParkingQuery, NearbyParkingQueryVariables>;
export const MyCityDocument = new TypedDocumentString(`
    query MyCity {
  me {
    id
    name
    requests(open: true) {
      id
      title
      status
      level
      dueAt
    }
    parkingReservations(upcoming: true) {
      id
      status
      entryWindowStart
      entryWindowEnd
      lot {
        name
      }
    }
    hostelStays {
      id
      status
      nightsLeft
      hostel {
        name
      }
    }
    volunteerProfile {
      verifiedHours
      starLevel
      hoursToNextStar
    }
  }
}
    `) as unknown as TypedDocumentString<MyCityQuery, MyCityQueryVariables>;
export const SubmitRequestDocument = new TypedDocumentString(`
    mutation SubmitRequest($input: SubmitRequestInput!) {
  submitRequest(input: $input) {
    id
    status
    level
    category {
      code
      name
    }
    department {
      name
    }
    dueAt
    community {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<SubmitRequestMutation, SubmitRequestMutationVariables>;
export const ReserveParkingDocument = new TypedDocumentString(`
    mutation ReserveParking($lotId: ID!, $plate: String!, $arriveAt: DateTime!) {
  reserveParking(lotId: $lotId, plate: $plate, arriveAt: $arriveAt) {
    id
    status
    entryWindowStart
    entryWindowEnd
    lot {
      id
      freeSpacesNow
    }
  }
}
    `) as unknown as TypedDocumentString<ReserveParkingMutation, ReserveParkingMutationVariables>;
export const LiveRequestsDocument = new TypedDocumentString(`
    subscription LiveRequests($communityCode: ID!) {
  requestUpdated(communityCode: $communityCode) {
    id
    status
    level
    parkingLot {
      name
      freeSpacesNow
    }
  }
}
    `) as unknown as TypedDocumentString<LiveRequestsSubscription, LiveRequestsSubscriptionVariables>;
export const LiveParkingDocument = new TypedDocumentString(`
    subscription LiveParking($lotId: ID!) {
  parkingAvailabilityChanged(lotId: $lotId) {
    id
    freeSpacesNow
    openRequests {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<LiveParkingSubscription, LiveParkingSubscriptionVariables>;