import { localParts } from '../../../shared/subgraph/time';

/** The per-day counter key and the human-readable number, e.g. SZ20261122-000123 (Shenzhen date). */
export function numberDay(at: Date): string {
  const p = localParts(at);
  return `SZ${p.year}${String(p.month).padStart(2, '0')}${String(p.day).padStart(2, '0')}`;
}

export function requestNumber(at: Date, seq: number): string {
  return `${numberDay(at)}-${String(seq).padStart(6, '0')}`;
}
