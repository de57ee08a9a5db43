import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../shared/platform/logger';
import type { Refusal } from './errors';
import type { Admitted, Identity, Transport } from './types';

/** One line of the access log: a GraphQL request through one door, once it has finished. */
export interface AccessEntry {
  /** The door: `http`, `ws`, `sse` or `admin`. */
  transport: Transport;
  /** The operation's name (`-` in the line when anonymous or never parsed; a batch's names joined with `,`). */
  operationName: string | null;
  /** `query`, `mutation` or `subscription`, once parsed. */
  operationType?: string;
  /**
   * The HTTP status of the answer. graphql-ws has none: a refusal carries the status the same
   * refusal gets over HTTP, and an operation that ran reads 200.
   */
  status: number;
  /** From the request's arrival at the door to its end (a subscription: its whole life). */
  durationMs: number;
  /** The `x-request-id` the gateway answered with (and forwarded to the subgraphs). */
  requestId?: string;
  /** Who was counted for the rate limit: `sub:<role>:<subject>` or `ip:<address>`. */
  clientKey?: string;
  /** The refusal's code, or the first error's code of an answer with errors. */
  code?: string;
  /** Errors in the answer, or in a subscription's events summed (graphql-ws and SSE; HTTP passes its body through unread). */
  errors?: number;
}

/** Where the doors report finished requests (`createAccessLog`); a no-op when the gateway has no logger. */
export type AccessLog = (entry: AccessEntry) => void;

/**
 * The access log: one `info` line per GraphQL request, written by the doors when it finishes,
 * with the fields above and `access: true` (so log pipelines can pick the lines out). Pretty in a
 * terminal: `POST MyCity http 200 12ms` and the request id and client key.
 */
export function createAccessLog(logger: Logger | undefined): AccessLog {
  if (!logger) return () => {};
  return (entry) => {
    const { operationName, transport, status, durationMs } = entry;
    logger.info({ access: true, ...entry, durationMs: Math.round(durationMs * 10) / 10 }, `${operationName ?? '-'} ${transport} ${status} ${Math.round(durationMs)}ms`);
  };
}

/** What a door learns about one request as it goes: its record, written once when it finishes. */
export class AccessRecord {
  private readonly started = performance.now();
  private written = false;
  identity?: Identity;
  requestId?: string;
  private names: string[] = [];
  private type?: string;
  private code?: string;
  private errors = 0;

  constructor(
    private readonly log: AccessLog,
    private readonly transport: Transport,
  ) {}

  /** Who is asking (after the identity stage). */
  identified(identity: Identity): void {
    this.identity = identity;
  }

  /** The operation the pipeline admitted (each of a batch, in turn). */
  admitted(admitted: Admitted): void {
    this.names.push(admitted.operationName ?? '-');
    this.type ??= admitted.kind;
  }

  /** A refusal answered instead of (or, in a batch, for one of) the operations. */
  refused(refusal: Refusal): void {
    const code = refusal.errors[0]?.extensions?.code;
    this.code ??= typeof code === 'string' ? code : undefined;
  }

  /** An answer or event that carried errors. */
  result(result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> | null }> | null }): void {
    if (!result.errors?.length) return;
    this.errors += result.errors.length;
    const code = result.errors[0]?.extensions?.code;
    this.code ??= typeof code === 'string' ? code : undefined;
  }

  /** Writes the line (later calls do nothing). */
  finish(status: number): void {
    if (this.written) return;
    this.written = true;
    const names = this.names.filter((n) => n !== '-');
    this.log({
      transport: this.transport,
      operationName: names.length ? names.join(',') : null,
      ...(this.type ? { operationType: this.type } : {}),
      status,
      durationMs: performance.now() - this.started,
      requestId: this.identity?.requestId ?? this.requestId,
      clientKey: this.identity?.clientKey,
      ...(this.code ? { code: this.code } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    });
  }
}

const records = new WeakMap<ServerResponse, AccessRecord>();

/**
 * For the doors that answer over HTTP (GraphQL over HTTP, SSE, admin): a record for this
 * request, written with the response's status when the response is finished or the connection
 * closes (an event stream: when it ends). `accessOf(res)` finds it again deeper in the door.
 */
export function trackHttpAccess(log: AccessLog, transport: Transport, req: IncomingMessage, res: ServerResponse): AccessRecord {
  const record = new AccessRecord(log, transport);
  const given = req.headers['x-request-id'];
  record.requestId = typeof given === 'string' ? given.slice(0, 64) : undefined;
  records.set(res, record);
  res.once('close', () => record.finish(res.statusCode));
  return record;
}

/** The access record `trackHttpAccess` made for this response, if any. */
export function accessOf(res: ServerResponse): AccessRecord | undefined {
  return records.get(res);
}
