import { DONGXIAO_STREET } from '../../shared/dev/demo';
import { windowId } from '../../subgraphs/parking/domain/windows';
import { createModels, type LotRecord, type Models, type SharingWindow } from '../../subgraphs/parking/models';

/** Wednesday 12 March 2025, 20:00 in Shenzhen: weekday night windows are open. */
export const WED_20 = new Date('2025-03-12T12:00:00Z');

export function sharingWindow(days: number[], start: string, end: string, spaces: number, mustLeaveBy: string | null = null): SharingWindow {
  return { id: windowId({ days, start, end }), days, start, end, spaces, mustLeaveBy };
}

export const NIGHTS = (spaces: number) => [
  sharingWindow([1, 2, 3, 4, 5], '18:30', '07:30', spaces, '07:30'),
  sharingWindow([6, 7], '07:30', '07:30', spaces, '07:30'),
];
export const ALL_DAY = (spaces: number) => [sharingWindow([1, 2, 3, 4, 5, 6, 7], '00:00', '24:00', spaces)];

/** Inserts a lot straight into the database (the API's createParkingLot is tested on its own). */
export async function insertLot(models: Models, id: string, windows: SharingWindow[], extra: Partial<LotRecord> = {}): Promise<void> {
  await models.Lot.create({
    _id: id,
    name: `测试停车场 ${id}`,
    address: '深圳市罗湖区东晓路1号',
    lat: 22.5826,
    lng: 114.133,
    communityCode: '440303002001',
    streetCode: DONGXIAO_STREET,
    ownerType: 'OFFICE_BUILDING',
    ownerName: '测试物业',
    totalSpaces: 200,
    pricePerHour: 6,
    freeFirstMinutes: 0,
    windows,
    ...extra,
  });
}

export { createModels };

/** Mainland petrol plates 粤B10000, 粤B10001… distinct per n. */
export function testPlate(n: number): string {
  return `粤B${String(10000 + n).padStart(5, '0')}`;
}

export const minutes = (date: Date, m: number) => new Date(date.getTime() + m * 60000);

/** The first error's code and field, for compact assertions. */
export function errorOf(res: { errors?: Array<{ extensions?: Record<string, any> }> }): { code?: string; field?: string } {
  const e = res.errors?.[0]?.extensions;
  return { code: e?.code, ...(e?.field !== undefined ? { field: e.field } : {}) };
}

export const RESERVE = `mutation ($lotId: ID!, $plate: String!, $arriveAt: DateTime!, $key: String) {
  reserveParking(lotId: $lotId, plate: $plate, arriveAt: $arriveAt, idempotencyKey: $key) {
    id status plate walkIn arriveAt entryWindowStart entryWindowEnd mustLeaveBy lateCancellation createdAt
    lot { id freeSpacesNow } resident { id }
  }
}`;

export const CANCEL = `mutation ($id: ID!) { cancelParkingReservation(id: $id) { id status lateCancellation cancelledAt lot { id freeSpacesNow } } }`;

export const FREE = `query ($id: ID!) { parkingLot(id: $id) { id freeSpacesNow releasedSpacesNow } }`;

export const RESIDENT = `query ($id: ID!, $upcoming: Boolean) {
  _entities(representations: [{ __typename: "Resident", id: $id }]) {
    ... on Resident {
      id
      parkingReservations(upcoming: $upcoming) { id status plate lot { id } }
      vehicles { id plate registeredAt }
      parkingBookingStatus { noShowsThisMonth lateCancellationsThisMonth bookingsToday bookingsLeftToday blocked blockedUntil blockedReason }
    }
  }
}`;
