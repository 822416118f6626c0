import { ErrorCode } from '@gisbi/contracts';
import { DomainError, newId } from '@gisbi/platform';
import { decodeCursor, encodeCursor } from './message-cursor';

describe('message cursor', () => {
  it('round-trips a position at microsecond precision', () => {
    const position = { createdAt: '2026-04-17T12:00:00.123456Z', id: newId('msg') };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64 json', '!!!'],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
    [
      'a millisecond time',
      Buffer.from(JSON.stringify(['2026-04-17T12:00:00.123Z', newId('msg')])).toString('base64url'),
    ],
    [
      'a foreign id',
      Buffer.from(JSON.stringify(['2026-04-17T12:00:00.123456Z', newId('conn')])).toString('base64url'),
    ],
    [
      'an impossible date',
      Buffer.from(JSON.stringify(['2026-13-45T12:00:00.123456Z', newId('msg')])).toString('base64url'),
    ],
    [
      'three elements',
      Buffer.from(JSON.stringify(['2026-04-17T12:00:00.123456Z', newId('msg'), 1])).toString('base64url'),
    ],
  ])('refuses %s with invalid_cursor', (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(DomainError);
    try {
      decodeCursor(cursor);
    } catch (error) {
      expect((error as DomainError).code).toBe(ErrorCode.invalid_cursor);
    }
  });
});
