import { trace } from '@opentelemetry/api';
import { contextFromHeaders, currentTraceId, installTracing, traceHeaders, withSpan } from './tracing';

describe('tracing without an exporter', () => {
  beforeAll(() => installTracing('tracing-spec'));

  it('records no spans, yet gives every frame a trace id that reaches logs and NATS headers', async () => {
    const seen = await withSpan('ws test', contextFromHeaders(undefined), { 'gisbi.type': 'test' }, async (span) => ({
      recording: span.isRecording(),
      traceId: currentTraceId(),
      header: traceHeaders().get('traceparent'),
    }));

    expect(seen.recording).toBe(false);
    expect(seen.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.header).toMatch(new RegExp(`^00-${seen.traceId}-[0-9a-f]{16}-00$`));
  });

  it('continues the trace a message arrived with', async () => {
    const traceId = 'c'.repeat(32);
    const incoming = traceHeaders(trace.setSpanContext(contextFromHeaders(undefined), { traceId, spanId: 'd'.repeat(16), traceFlags: 1 }));

    const seen = await withSpan('nats test', contextFromHeaders(incoming), {}, async () => currentTraceId());

    expect(seen).toBe(traceId);
  });
});
