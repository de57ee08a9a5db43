import type { IncomingMessage } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';

/**
 * OpenTelemetry traces across the gateway and the subgraphs, off by default.
 * `OTEL_TRACES_EXPORTER=console` prints spans; `otlp` sends them to `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (default http://127.0.0.1:4318/v1/traces). Apollo Gateway creates its own spans (request, plan,
 * fetch) through the OpenTelemetry API once a provider is registered; the gateway injects the
 * W3C `traceparent` into each subgraph fetch and the subgraphs continue the trace.
 */
export function initTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const exporterName = env.OTEL_TRACES_EXPORTER ?? 'none';
  if (exporterName === 'none') return false;
  if (exporterName !== 'console' && exporterName !== 'otlp') {
    throw new Error(`Invalid configuration (environment variables):\n  OTEL_TRACES_EXPORTER: none, console or otlp (got "${exporterName}")`);
  }
  // Loaded only when tracing is on, so the default path carries no SDK.
  const { NodeTracerProvider, BatchSpanProcessor, ConsoleSpanExporter } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const exporter =
    exporterName === 'console'
      ? new ConsoleSpanExporter()
      : new (require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({
          url: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318/v1/traces',
        });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  return true;
}

/** Writes the active trace context into outgoing headers (`traceparent`, `tracestate`). */
export function injectTraceHeaders(set: (name: string, value: string) => void): void {
  propagation.inject(context.active(), undefined, { set: (_carrier, key, value) => set(key, value) });
}

/** The trace context an incoming request carries (ROOT when none). */
export function extractTraceContext(req: IncomingMessage): Context {
  return propagation.extract(ROOT_CONTEXT, req.headers);
}

/**
 * Runs `work` in a server span continuing the caller's trace. Costs nothing when no provider is
 * registered (the API's no-op tracer).
 */
export function withServerSpan<T>(name: string, req: IncomingMessage, work: () => Promise<T>): Promise<T> {
  const tracer = trace.getTracer('citygraph');
  return context.with(extractTraceContext(req), () =>
    tracer.startActiveSpan(name, { kind: SpanKind.SERVER }, async (span) => {
      try {
        return await work();
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    }),
  );
}
