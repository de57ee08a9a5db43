import { rmSync } from 'node:fs';
import type { FerretInstance } from '../../shared/dev/ferret';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __FERRET__?: { ferret: FerretInstance; dir: string } }).__FERRET__;
  if (!state) return;
  await state.ferret.stop();
  rmSync(state.dir, { recursive: true, force: true });
}
