import { NodeTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { trace } from '@opentelemetry/api';
import { initTracing } from '../../shared/platform/tracing';
import { startGraph, type RunningGraph } from '../support/graph';

/** One trace follows a request from the gateway into the subgraph that answers it. */
const exporter = new InMemorySpanExporter();
let provider: NodeTracerProvider;
let graph: RunningGraph;

beforeAll(async () => {
  provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  graph = await startGraph({ seed: false });
}, 60000);

afterAll(async () => {
  await graph?.stop();
  await provider.shutdown();
  trace.disable();
});

it('links the subgraph span to the gateway fetch that caused it', async () => {
  exporter.reset();
  const res = await graph.query('query Places { communities { code } }');
  expect(res.errors).toBeUndefined();
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  const subgraphSpan = spans.find((s) => s.name === 'requests graphql');
  const gatewaySpans = spans.filter((s) => s.name.startsWith('gateway.'));
  expect(subgraphSpan).toBeDefined();
  expect(gatewaySpans.length).toBeGreaterThan(0);
  const traceId = subgraphSpan!.spanContext().traceId;
  expect(gatewaySpans.every((s) => s.spanContext().traceId === traceId)).toBe(true);
  const fetch = gatewaySpans.find((s) => s.name === 'gateway.fetch');
  expect(subgraphSpan!.parentSpanContext?.spanId).toBe(fetch?.spanContext().spanId);
});

it('is off unless OTEL_TRACES_EXPORTER names an exporter, and refuses an unknown one', () => {
  expect(initTracing('x', {})).toBe(false);
  expect(() => initTracing('x', { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER/);
});
