import { conflict } from '../../../shared/platform/errors';
import * as validate from '../../../shared/subgraph/validate';
import type { Models, VehicleRecord } from '../models';
import { isDuplicateKey } from './deps';

/** A resident may register up to 3 cars (a household's usual number); a plate has one owner. */
export const MAX_VEHICLES_PER_RESIDENT = 3;

/** Registers a plate for the resident; registering one's own plate again returns it unchanged. */
export async function registerVehicle(models: Models, residentId: string, plateInput: unknown, now: Date): Promise<VehicleRecord> {
  const plate = validate.plate('plate', plateInput);
  const existing = await models.Vehicle.findOne({ plate }).lean<VehicleRecord>();
  if (existing) {
    if (existing.residentId === residentId) return existing;
    throw conflict(`${plate} is registered to another resident`);
  }
  const count = await models.Vehicle.countDocuments({ residentId });
  if (count >= MAX_VEHICLES_PER_RESIDENT) throw conflict(`At most ${MAX_VEHICLES_PER_RESIDENT} vehicles per resident`);
  try {
    const created = await models.Vehicle.create({ residentId, plate, createdAt: now });
    return created.toObject() as VehicleRecord;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = await models.Vehicle.findOne({ plate }).lean<VehicleRecord>();
    if (winner?.residentId === residentId) return winner;
    throw conflict(`${plate} is registered to another resident`);
  }
}
