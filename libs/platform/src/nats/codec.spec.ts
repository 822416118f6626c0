import { makeServerEnvelope, type ReplyError } from '@gisbi/contracts';
import {
  decodeCommandReply,
  decodeDelivery,
  encodeCommandError,
  encodeCommandReply,
  encodeControlDelivery,
  encodeEventDelivery,
  readCommandReply,
  readDelivery,
} from './codec';
import type { ServerMessage } from './command';

const now = new Date('2026-04-17T12:00:00Z');
const timestamp = '2026-04-17T12:00:00.000Z';
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytesOf = (value: string): Uint8Array => new TextEncoder().encode(value);

/** Payloads are opaque to the codec; the contract's shapes do not matter here. */
function event(type: ServerMessage['type'], payload: unknown): ServerMessage {
  return { type, payload } as ServerMessage;
}

const presence = event('presence.updated', { isOnRadar: true, lat: 6.5244, lng: 3.3792 });
const radar = event('radar.nearby.updated', { nearbyUsers: [{ id: 'user_1', name: 'Ada' }] });

describe('command reply codec', () => {
  it('carries exactly the envelopes the gateway used to build, one per line after the head', () => {
    const ids = { requestId: 'req_1', correlationId: 'corr_1' };

    const sut = encodeCommandReply([presence, radar], now, ids);

    expect(text(sut).split('\n')).toEqual([
      '{"ok":true,"types":["presence.updated","radar.nearby.updated"]}',
      JSON.stringify(makeServerEnvelope(presence.type, presence.payload, now, ids)),
      JSON.stringify(makeServerEnvelope(radar.type, radar.payload, now, ids)),
    ]);
  });

  it('round-trips to the envelopes the client receives, ids echoed', () => {
    const sut = decodeCommandReply(encodeCommandReply([presence, radar], now, { requestId: 'req_1' }));

    expect(sut).toEqual({
      ok: true,
      events: [
        { type: 'presence.updated', payload: presence.payload, timestamp, requestId: 'req_1' },
        { type: 'radar.nearby.updated', payload: radar.payload, timestamp, requestId: 'req_1' },
      ],
    });
  });

  it('gives the gateway each frame as a slice of the message, without parsing it', () => {
    const data = bytesOf('{"ok":true,"types":["presence.updated","radar.nearby.updated"]}\nfirst\n{"x":1}');

    const sut = readCommandReply(data);

    if (!sut.ok) throw new Error('expected a successful reply');
    expect(sut.frames.map((frame) => [frame.type, text(frame.bytes)])).toEqual([
      ['presence.updated', 'first'],
      ['radar.nearby.updated', '{"x":1}'],
    ]);
    expect(sut.frames[0]!.bytes.buffer).toBe(data.buffer);
  });

  it('keeps newlines and line separators inside payload strings within their frame', () => {
    const chat = event('chat.message.created', { content: 'one\ntwo\r\nthree\u2028four\u2029five\\n' });

    const data = encodeCommandReply([chat, chat], now, {});

    expect(readCommandReply(data)).toMatchObject({ ok: true, frames: [{}, {}] });
    expect(decodeCommandReply(data)).toEqual({
      ok: true,
      events: [
        { type: chat.type, payload: chat.payload, timestamp },
        { type: chat.type, payload: chat.payload, timestamp },
      ],
    });
  });

  it('relays unicode as the UTF-8 the client decodes', () => {
    const chat = event('chat.message.created', { content: 'Ẹ kú àárọ̀ 👋🏾 — 你好, naïve' });

    const sut = readCommandReply(encodeCommandReply([chat], now, {}));

    if (!sut.ok) throw new Error('expected a successful reply');
    expect(JSON.parse(text(sut.frames[0]!.bytes))).toEqual({
      type: chat.type,
      payload: chat.payload,
      timestamp,
    });
  });

  it('sends a reply without events as its head alone', () => {
    const data = encodeCommandReply([], now, { requestId: 'req_1' });

    expect(text(data)).toBe('{"ok":true,"types":[]}');
    expect(readCommandReply(data)).toEqual({ ok: true, frames: [] });
  });

  it('sends an error as one line of JSON, read back as the error', () => {
    const error: ReplyError = {
      code: 'not_allowed',
      message: 'Line one\nline two',
      domain: 'chat',
      status: 403,
    };

    const data = encodeCommandError(error);

    expect(text(data)).toBe(JSON.stringify({ ok: false, error }));
    expect(readCommandReply(data)).toEqual({ ok: false, error });
    expect(decodeCommandReply(data)).toEqual({ ok: false, error });
  });

  it('refuses a reply whose frames do not match its head', () => {
    expect(() => readCommandReply(bytesOf('{"ok":true,"types":["presence.updated"]}'))).toThrow(
      'Malformed command reply',
    );
    expect(() => readCommandReply(bytesOf('{"ok":true,"types":[]}\n{}'))).toThrow('Malformed command reply');
    expect(() => readCommandReply(bytesOf('{"events":[]}'))).toThrow('Malformed command reply');
    expect(() => readCommandReply(bytesOf('not json'))).toThrow(SyntaxError);
  });
});

describe('delivery codec', () => {
  it('puts the routing in the head and the envelope on the next line', () => {
    const sut = encodeEventDelivery(radar, now, { exceptSocketId: 'sock_1' });

    expect(text(sut).split('\n')).toEqual([
      '{"type":"radar.nearby.updated","exceptSocketId":"sock_1"}',
      JSON.stringify(makeServerEnvelope(radar.type, radar.payload, now)),
    ]);
  });

  it('leaves exceptSocketId out when every socket gets the event', () => {
    const sut = encodeEventDelivery(radar, now, { exceptSocketId: undefined });

    expect(text(sut).split('\n')[0]).toBe('{"type":"radar.nearby.updated"}');
    expect(decodeDelivery(sut)).toEqual({ type: radar.type, payload: radar.payload, timestamp });
  });

  it('round-trips to the envelope plus its routing', () => {
    const chat = event('chat.message.created', { content: 'a\nb 👋🏾' });

    const sut = decodeDelivery(encodeEventDelivery(chat, now, { exceptSocketId: 'sock_1' }));

    expect(sut).toEqual({ type: chat.type, payload: chat.payload, timestamp, exceptSocketId: 'sock_1' });
  });

  it('gives the gateway the frame as a slice of the message, without parsing it', () => {
    const data = bytesOf('{"type":"chat.typing","exceptSocketId":"sock_1"}\n{"not":"parsed"');

    const sut = readDelivery(data);

    expect(sut).toMatchObject({ type: 'chat.typing', exceptSocketId: 'sock_1' });
    expect(text((sut as { frame: Uint8Array }).frame)).toBe('{"not":"parsed"');
  });

  it('sends control messages as one line, read back unchanged', () => {
    const control = { closeCode: 4001, reason: 'session revoked', sessionId: 'ses_1' };

    const data = encodeControlDelivery(control);

    expect(text(data)).toBe(JSON.stringify({ control }));
    expect(readDelivery(data)).toEqual({ control });
    expect(decodeDelivery(data)).toEqual({ control });
  });

  it('refuses a delivery without exactly one frame', () => {
    expect(() => readDelivery(bytesOf('{"type":"chat.typing"}'))).toThrow('Malformed delivery');
    expect(() => readDelivery(bytesOf('{"type":"chat.typing"}\n{}\n{}'))).toThrow('Malformed delivery');
  });
});
