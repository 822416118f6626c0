import { frameBytes, peekEnvelopeIds, pickIds } from './envelope-ids';

const peek = (text: string) => peekEnvelopeIds(Buffer.from(text));

describe(peekEnvelopeIds.name, () => {
  it('reads the top-level ids wherever they stand, and only those', () => {
    expect(
      peek(
        '{"type":"connection.request.accept","payload":{"requestId":"req_123"},"requestId":"r1","correlationId":"c1"}',
      ),
    ).toEqual({
      requestId: 'r1',
      correlationId: 'c1',
    });
    expect(
      peek('{"requestId":"r2","type":"x","payload":{"requestId":"inner","list":[{"correlationId":"no"}]}}'),
    ).toEqual({
      requestId: 'r2',
    });
    expect(peek(' \n{ "requestId" : "r3" , "payload" : { } }')).toEqual({ requestId: 'r3' });
  });

  it('is not fooled by strings that look like members', () => {
    expect(peek('{"payload":{"note":"\\"requestId\\":\\"fake\\"}"},"type":"x"}')).toEqual({});
    expect(peek('{"type":"requestId","payload":{},"note":"correlationId"}')).toEqual({});
    expect(peek('{"payload":{"a":"}"},"requestId":"r4"}')).toEqual({ requestId: 'r4' });
  });

  it('decodes escapes and multi-byte characters in the ids', () => {
    expect(peek('{"requestId":"r\\"5\\\\","correlationId":"c\\u00e9-ü"}')).toEqual({
      requestId: 'r"5\\',
      correlationId: 'cé-ü',
    });
  });

  it('ignores ids that are not short strings, as pickIds does', () => {
    expect(peek('{"requestId":5,"correlationId":null}')).toEqual({});
    expect(peek('{"requestId":{"a":"b"},"correlationId":["c"]}')).toEqual({});
    expect(peek(`{"requestId":"${'x'.repeat(129)}","correlationId":"${'y'.repeat(128)}"}`)).toEqual({
      correlationId: 'y'.repeat(128),
    });
  });

  it('yields what precedes the fault of a malformed frame, and nothing from non-objects', () => {
    expect(peek('{"requestId":"r6","payload":{"lat":')).toEqual({ requestId: 'r6' });
    expect(peek('{"requestId":"r7')).toEqual({});
    expect(peek('not json')).toEqual({});
    expect(peek('[{"requestId":"r8"}]')).toEqual({});
    expect(peek('')).toEqual({});
  });

  it('finds the ids JSON.parse and pickIds find, on well-formed frames', () => {
    const frames = [
      { type: 'presence.location_update', payload: { lat: 6.5, lng: 3.3 }, requestId: 'req_a' },
      {
        requestId: 'req_b',
        payload: { requestId: 'x', deep: [[{ correlationId: 'y' }]] },
        correlationId: 'corr_b',
        type: 't',
      },
      {
        type: 'chat.message.created',
        payload: { content: 'a "quoted" \\ text, {not: json} ✓' },
        correlationId: 'c',
      },
      { type: 't', payload: {}, requestId: 'first', extra: [1, 'two', null, true, { three: 3 }] },
    ];
    for (const frame of frames) {
      const text = JSON.stringify(frame);

      expect(peek(text)).toEqual(pickIds(JSON.parse(text)));
    }
    for (const duplicated of ['{"requestId":"one","requestId":"two"}', '{"requestId":"one","requestId":5}']) {
      expect(peek(duplicated)).toEqual(pickIds(JSON.parse(duplicated)));
    }
  });
});

describe(frameBytes.name, () => {
  it('accepts every shape ws hands over', () => {
    const text = '{"requestId":"r9"}';
    expect(peekEnvelopeIds(frameBytes(Buffer.from(text)))).toEqual({ requestId: 'r9' });
    expect(peekEnvelopeIds(frameBytes([Buffer.from('{"reque'), Buffer.from('stId":"r9"}')]))).toEqual({
      requestId: 'r9',
    });
    const arrayBuffer = new Uint8Array(Buffer.from(text)).buffer;
    expect(peekEnvelopeIds(frameBytes(arrayBuffer))).toEqual({ requestId: 'r9' });
  });
});
