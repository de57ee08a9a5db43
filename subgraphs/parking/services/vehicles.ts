import { conflict } from '../../../shared/platform/errors';
import { isDuplicateKey, releaseSlot, takeSlot } from '../../../shared/subgraph';
import * as validate from '../../../shared/subgraph/validate';
import type { VehicleRecord } from '../models';
import type { ParkingService } from './deps';

/** A resident may register up to 3 cars (a household's usual number); a plate has one owner. */
export const MAX_VEHICLES_PER_RESIDENT = 3;

/** The limit's scope in `parking_limit_slots`: one slot per registered plate of the resident. */
export const vehicleScope = (residentId: string) => `vehicles:${residentId}`;

/**
 * Registers a plate for the resident; registering one's own plate again returns it unchanged.
 * The plate first takes one of the resident's `MAX_VEHICLES_PER_RESIDENT` slots (a unique insert),
 * then the vehicle is written; a plate that turns out to be taken gives its slot back. So however
 * many registrations race, a resident never has more vehicles than slots.
 */
export async function registerVehicle(ctx: ParkingService, input: { residentId: string; plate: unknown }): Promise<VehicleRecord> {
  const { models } = ctx;
  const { residentId } = input;
  const now = ctx.clock();
  const plate = validate.plate('plate', input.plate);
  const existing = await models.Vehicle.findOne({ plate }).lean<VehicleRecord>();
  if (existing) {
    if (existing.residentId === residentId) return existing;
    throw conflict(`${plate} is registered to another resident`, { field: 'plate' });
  }
  const scope = vehicleScope(residentId);
  const slot = await takeSlot(models.LimitSlot, { scope, capacity: MAX_VEHICLES_PER_RESIDENT, holder: plate, extra: { createdAt: now } });
  if (slot === null) {
    throw conflict(`At most ${MAX_VEHICLES_PER_RESIDENT} vehicles per resident: you have registered ${MAX_VEHICLES_PER_RESIDENT}`, {
      field: 'plate',
      limit: 'VEHICLES_PER_RESIDENT',
      max: MAX_VEHICLES_PER_RESIDENT,
    });
  }
  try {
    const created = await models.Vehicle.create({ residentId, plate, createdAt: now });
    return created.toObject() as VehicleRecord;
  } catch (err) {
    if (!isDuplicateKey(err)) {
      await releaseSlot(models.LimitSlot, { scope, holder: plate });
      throw err;
    }
    const winner = await models.Vehicle.findOne({ plate }).lean<VehicleRecord>();
    if (winner?.residentId === residentId) return winner;
    await releaseSlot(models.LimitSlot, { scope, holder: plate });
    throw conflict(`${plate} is registered to another resident`, { field: 'plate' });
  }
}
