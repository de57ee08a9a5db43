import pino, { type DestinationStream, type Logger } from 'pino';

/** How log lines are written: one JSON object a line, or a readable line for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/**
 * The format of this process's logs: `LOG_FORMAT` (`json` or `pretty`) when set; otherwise
 * pretty when stdout is a terminal and `NODE_ENV` is not production, JSON in every other case
 * (a pipe, a file, a log collector, production), so machines always get JSON.
 */
export function logFormat(env: NodeJS.ProcessEnv = process.env, isTty = Boolean(process.stdout.isTTY)): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return isTty && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

export interface LoggerOptions {
  /** Where lines go (tests capture them); stdout otherwise. */
  destination?: { write(line: string): unknown };
  /** `json` or `pretty`; `logFormat()` otherwise. */
  format?: LogFormat;
  /** pino level; `LOG_LEVEL`, else `info` (`silent` under jest). */
  level?: string;
}

/**
 * Structured logs (pino), one logger per process, named after it: JSON lines, or in a terminal
 * readable lines (`logFormat`). `LOG_LEVEL` sets the level (default `info`; `silent` under jest
 * unless set). Everything a process prints while it runs goes through here, so a JSON stream is
 * never broken by a plain-text line.
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const wanted = options.level ?? process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info');
  // A bad LOG_LEVEL is reported with the other bad variables (loadProcessOptions); meanwhile `info`.
  const level = wanted in pino.levels.values || wanted === 'silent' ? wanted : 'info';
  const format = options.format ?? logFormat();
  const out = options.destination ?? process.stdout;
  const destination: DestinationStream =
    format === 'pretty' ? { write: (line: string) => void out.write(prettyLine(line, out === process.stdout && Boolean(process.stdout.isTTY))) } : (out as DestinationStream);
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '\x1b[90m'],
  20: ['DEBUG', '\x1b[36m'],
  30: ['INFO ', '\x1b[32m'],
  40: ['WARN ', '\x1b[33m'],
  50: ['ERROR', '\x1b[31m'],
  60: ['FATAL', '\x1b[35m'],
};
// `problems`: a ConfigError's, which its message already lists one a line.
const OMIT = new Set(['level', 'time', 'pid', 'hostname', 'name', 'service', 'msg', 'err', 'error', 'access', 'problems']);
const ACCESS_IN_MESSAGE = new Set([...OMIT, 'operationName', 'transport', 'status', 'durationMs']);

/** A value on a pretty line: bare when it is a plain word, JSON otherwise (so control characters stay escaped). */
const show = (v: unknown) => (typeof v === 'string' && /^[\w.:/@+-]{1,200}$/.test(v) ? v : JSON.stringify(v));

/**
 * One JSON log line as a person reads it: `12:03:04.567 INFO  gateway  message  key=value …`,
 * then an error's stack indented. Access-log lines (`access: true`) show the request id and the
 * client key after the message. A line that is not JSON is passed through.
 */
export function prettyLine(line: string, color = false): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const [label, tint] = LEVELS[o.level as number] ?? [String(o.level).padEnd(5), ''];
  const paint = (text: string, code: string) => (color && code ? `${code}${text}\x1b[0m` : text);
  const time = typeof o.time === 'string' ? o.time.slice(11, 23) : '';
  // An access line's message already reads `<operation> <transport> <status> <ms>ms`.
  const omit = o.access ? ACCESS_IN_MESSAGE : OMIT;
  const fields = Object.entries(o)
    .filter(([k, v]) => !omit.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(' ');
  const err = (o.err ?? o.error) as { stack?: string; message?: string } | undefined;
  const stack = err ? `\n    ${(err.stack ?? err.message ?? JSON.stringify(err)).split('\n').join('\n    ')}` : '';
  return `${paint(time, '\x1b[90m')} ${paint(label, tint)} ${paint(String(o.service ?? o.name ?? ''), '\x1b[1m')}  ${o.msg ?? ''}${fields ? `  ${paint(fields, '\x1b[90m')}` : ''}${stack}\n`;
}

export type { Logger };
