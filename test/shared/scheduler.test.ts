import { Scheduler } from '../../shared/subgraph/scheduler';

it('never overlaps runs of one job and waits for the run in progress on stop', async () => {
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  const job = {
    name: 'slow',
    everyMs: 5,
    run: async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      runs += 1;
      await new Promise((r) => setTimeout(r, 30));
      active -= 1;
      return 1;
    },
  };
  const scheduler = new Scheduler([job], () => new Date());
  scheduler.start();
  await new Promise((r) => setTimeout(r, 1200));
  await scheduler.stop();
  expect(runs).toBeGreaterThan(3);
  expect(maxActive).toBe(1);
  expect(active).toBe(0);
});

it('keeps running after a failing run', async () => {
  let calls = 0;
  const scheduler = new Scheduler(
    [{ name: 'flaky', everyMs: 10, run: async () => { calls += 1; if (calls === 1) throw new Error('db down'); return 0; } }],
    () => new Date(),
  );
  await scheduler.runOnce((scheduler as any).jobs[0]);
  await scheduler.runOnce((scheduler as any).jobs[0]);
  expect(calls).toBe(2);
  await scheduler.stop();
});
