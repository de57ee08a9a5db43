/** Masks personal data for anyone but its owner and the staff handling the case. */
export function maskPhone(phone: string | undefined | null): string | null {
  if (!phone) return null;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function maskPlate(plate: string | undefined | null): string | null {
  if (!plate) return null;
  return plate.length > 4 ? `${plate.slice(0, 2)}***${plate.slice(-2)}` : '***';
}

export function maskIdNumber(id: string | undefined | null): string | null {
  if (!id) return null;
  return id.length > 8 ? `${id.slice(0, 4)}**********${id.slice(-4)}` : '****';
}
