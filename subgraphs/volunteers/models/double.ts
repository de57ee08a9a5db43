import { Schema } from 'mongoose';

/**
 * BSON double for hours and coordinates: a whole number of hours would otherwise be stored as an
 * integer, and FerretDB's `$sum` of integers is broken. Typed as Number for the schema generics
 * (the driver reads doubles back as plain numbers).
 */
export const Double = Schema.Types.Double as unknown as NumberConstructor;
