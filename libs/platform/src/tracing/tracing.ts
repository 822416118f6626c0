import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  ConsoleSpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { headers as natsHeaders, type MsgHdrs } from 'nats';

let installed = false;

/**
 * OpenTelemetry tracing for one process: W3C trace context (`traceparent`) travels in NATS message
 * headers, so a socket frame, the command it becomes, the RPCs it makes, the events it delivers and the
 * domain events it causes share one trace id, and every log line carries it. Spans are recorded and
 * exported to the console when OTEL_TRACES_EXPORTER=console; an OTLP exporter can be added in the same place.
 */
export function installTracing(service: string): void {
  if (installed) return;
  installed = true;
  const spanProcessors: SpanProcessor[] =
    process.env['OTEL_TRACES_EXPORTER'] === 'console' ? [new SimpleSpanProcessor(new ConsoleSpanExporter())] : [];
  // With no exporter, spans are not recorded: ids are still made and propagated (logs and NATS headers
  // carry them), but nothing builds span objects that no processor would ever read.
  const sampler = spanProcessors.length > 0 ? new ParentBasedSampler({ root: new AlwaysOnSampler() }) : new AlwaysOffSampler();
  const provider = new BasicTracerProvider({ spanProcessors, sampler });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  tracerName = `gisbi-${service}`;
}

let tracerName = 'gisbi';

const setter: TextMapSetter<MsgHdrs> = { set: (carrier, key, value) => carrier.set(key, value) };
const getter: TextMapGetter<MsgHdrs | undefined> = {
  get: (carrier, key) => carrier?.get(key) || undefined,
  keys: (carrier) => (carrier ? [...carrier.keys()] : []),
};

/** NATS headers carrying the active trace context (or the given one). */
export function traceHeaders(from: Context = context.active()): MsgHdrs {
  const carrier = natsHeaders();
  propagation.inject(from, carrier, setter);
  return carrier;
}

/** The trace context a message arrived with. */
export function contextFromHeaders(carrier: MsgHdrs | undefined): Context {
  return propagation.extract(context.active(), carrier, getter);
}

/** Runs `work` inside a span that is a child of `parent`; records failures. */
export async function withSpan<T>(
  name: string,
  parent: Context,
  attributes: Record<string, string | undefined>,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.SERVER,
): Promise<T> {
  const tracer = trace.getTracer(tracerName);
  const cleaned = Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as Record<string, string>;
  return tracer.startActiveSpan(name, { kind, attributes: cleaned }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The current trace id, for log lines ("" outside a trace). */
export function currentTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** The active context as a W3C `traceparent` string, for storing with an outbox row. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'];
}

/** A context rebuilt from a stored `traceparent`. */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  if (!traceparent) return context.active();
  return propagation.extract(context.active(), { traceparent });
}

export { SpanKind };
