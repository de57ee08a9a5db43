/**
 * Fee for a stay: every started hour after the lot's free minutes at its hourly price, in yuan.
 * Shenzhen car parks bill per started hour; the government office's first hour is free.
 */
export function parkingFee(
  lot: { pricePerHour: number; freeFirstMinutes: number },
  enteredAt: Date,
  exitedAt: Date,
): number {
  const minutes = Math.max(0, Math.ceil((exitedAt.getTime() - enteredAt.getTime()) / 60000));
  const billable = Math.max(0, minutes - lot.freeFirstMinutes);
  return Math.round(Math.ceil(billable / 60) * lot.pricePerHour * 100) / 100;
}
