import { ErrorCode } from '@gisbi/contracts';
import { HistoryCursorCodec } from './history-cursor';

const position = { createdAt: new Date('2026-04-17T12:00:00.123Z'), id: 'sgg_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E' };

describe(HistoryCursorCodec.name, () => {
  const sut = new HistoryCursorCodec('a-test-secret-of-some-length');

  it('round-trips a position for the same viewer', () => {
    expect(sut.decode('user_1', sut.encode('user_1', position))).toEqual(position);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['an empty tag', `${Buffer.from('[]').toString('base64url')}.`],
    ['three parts', 'a.b.c'],
  ])('refuses %s with invalid_cursor', (_case, cursor) => {
    expect(() => sut.decode('user_1', cursor)).toThrow(expect.objectContaining({ code: ErrorCode.invalid_cursor }));
  });

  it('refuses a cursor whose position was edited', () => {
    const [, tag] = sut.encode('user_1', position).split('.');
    const edited = Buffer.from(JSON.stringify(['2026-04-17T11:00:00.000Z', position.id])).toString('base64url');

    expect(() => sut.decode('user_1', `${edited}.${tag}`)).toThrow(expect.objectContaining({ code: ErrorCode.invalid_cursor }));
  });

  it("refuses another viewer's cursor and one signed with another secret", () => {
    const cursor = sut.encode('user_1', position);

    expect(() => sut.decode('user_2', cursor)).toThrow(expect.objectContaining({ code: ErrorCode.invalid_cursor }));
    expect(() => new HistoryCursorCodec('another-secret-of-some-length').decode('user_1', cursor)).toThrow(
      expect.objectContaining({ code: ErrorCode.invalid_cursor }),
    );
  });
});
