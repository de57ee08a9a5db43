import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs (pino), one logger per process, named after it. `LOG_LEVEL` sets the level
 * (default `info`; `silent` under jest unless set).
 */
export function createLogger(name: string): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info');
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
