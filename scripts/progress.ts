import cliProgress from 'cli-progress';
import type { SubgraphName } from '../shared/subgraph/subgraph-deps';

/** One progress bar per subgraph while seeding. */
export function seedProgress(): { update: (name: SubgraphName, done: number, total: number) => void; stop: () => void } {
  const multi = new cliProgress.MultiBar(
    { format: ' seeding {name} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    update(name, done, total) {
      let bar = bars.get(name);
      if (!bar) {
        bar = multi.create(total, 0, { name: name.padEnd(10) });
        bars.set(name, bar);
      }
      bar.setTotal(total);
      bar.update(done, { name: name.padEnd(10) });
    },
    stop: () => multi.stop(),
  };
}
