import { addByLocalDay, isValidTimeZone, localDate, nextDate, startOfLocalDay, toDaySeconds } from './local-days';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

function daysOf(startIso: string, endIso: string, timeZone: string) {
  return toDaySeconds(addByLocalDay(at(startIso), at(endIso), timeZone));
}

describe('local days', () => {
  it('knows IANA zones and refuses anything else', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
  });

  it('finds local dates and the next date across months and years', () => {
    expect(localDate(at('2026-04-18T03:30:00Z'), 'America/New_York')).toBe('2026-04-17');
    expect(localDate(at('2026-04-17T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-04-18');
    expect(nextDate('2026-02-28')).toBe('2026-03-01');
    expect(nextDate('2028-02-28')).toBe('2028-02-29');
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
  });

  it('splits a session that crosses local midnight', () => {
    // 23:30 to 00:30 New York time (EDT, UTC-4).
    expect(daysOf('2026-04-18T03:30:00Z', '2026-04-18T04:30:00Z', 'America/New_York')).toEqual({
      totalSeconds: 3600,
      days: [
        { date: '2026-04-17', seconds: 1800 },
        { date: '2026-04-18', seconds: 1800 },
      ],
    });
    // The same instants are one day in UTC.
    expect(daysOf('2026-04-18T03:30:00Z', '2026-04-18T04:30:00Z', 'UTC').days).toEqual([{ date: '2026-04-18', seconds: 3600 }]);
  });

  describe('Europe/London', () => {
    it('has a 23-hour day when the clocks go forward (2026-03-29)', () => {
      expect(startOfLocalDay('2026-03-29', 'Europe/London')).toBe(at('2026-03-29T00:00:00Z'));
      expect(startOfLocalDay('2026-03-30', 'Europe/London')).toBe(at('2026-03-29T23:00:00Z'));
      expect(daysOf('2026-03-28T23:00:00Z', '2026-03-30T01:00:00Z', 'Europe/London').days).toEqual([
        { date: '2026-03-28', seconds: 3600 },
        { date: '2026-03-29', seconds: 23 * 3600 },
        { date: '2026-03-30', seconds: 2 * 3600 },
      ]);
    });

    it('has a 25-hour day when the clocks go back (2026-10-25)', () => {
      expect(startOfLocalDay('2026-10-25', 'Europe/London')).toBe(at('2026-10-24T23:00:00Z'));
      expect(startOfLocalDay('2026-10-26', 'Europe/London')).toBe(at('2026-10-26T00:00:00Z'));
      expect(daysOf('2026-10-24T23:00:00Z', '2026-10-26T00:00:00Z', 'Europe/London').days).toEqual([
        { date: '2026-10-25', seconds: 25 * 3600 },
      ]);
    });
  });

  describe('America/New_York', () => {
    it('has a 23-hour day when the clocks go forward (2026-03-08)', () => {
      expect(startOfLocalDay('2026-03-08', 'America/New_York')).toBe(at('2026-03-08T05:00:00Z'));
      expect(startOfLocalDay('2026-03-09', 'America/New_York')).toBe(at('2026-03-09T04:00:00Z'));
      expect(daysOf('2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', 'America/New_York').days).toEqual([
        { date: '2026-03-08', seconds: 23 * 3600 },
      ]);
    });

    it('has a 25-hour day when the clocks go back (2026-11-01), split at both midnights', () => {
      expect(daysOf('2026-11-01T03:00:00Z', '2026-11-02T06:00:00Z', 'America/New_York').days).toEqual([
        { date: '2026-10-31', seconds: 3600 },
        { date: '2026-11-01', seconds: 25 * 3600 },
        { date: '2026-11-02', seconds: 3600 },
      ]);
    });
  });

  it('starts a day whose midnight was skipped at the first instant that exists (Sao Paulo, 2018-11-04)', () => {
    // Clocks jumped from 00:00 to 01:00 (-03 → -02): the day began at 01:00 local = 03:00Z.
    expect(startOfLocalDay('2018-11-04', 'America/Sao_Paulo')).toBe(at('2018-11-04T03:00:00Z'));
    expect(daysOf('2018-11-04T02:00:00Z', '2018-11-04T04:00:00Z', 'America/Sao_Paulo').days).toEqual([
      { date: '2018-11-03', seconds: 3600 },
      { date: '2018-11-04', seconds: 3600 },
    ]);
  });

  it('adds up days so that they sum exactly to the whole seconds of the total', () => {
    const byDay = new Map<string, number>([
      ['2026-04-18', 1500],
      ['2026-04-17', 1500],
      ['2026-04-19', 1999],
    ]);
    expect(toDaySeconds(byDay)).toEqual({
      totalSeconds: 4,
      days: [
        { date: '2026-04-17', seconds: 1 },
        { date: '2026-04-18', seconds: 2 },
        { date: '2026-04-19', seconds: 1 },
      ],
    });
  });

  it('accumulates several intervals into the same day map', () => {
    const byDay = new Map<string, number>();
    addByLocalDay(at('2026-04-17T10:00:00Z'), at('2026-04-17T10:30:00Z'), 'Europe/London', byDay);
    addByLocalDay(at('2026-04-17T11:00:00Z'), at('2026-04-17T11:15:00Z'), 'Europe/London', byDay);
    expect(byDay.get('2026-04-17')).toBe(0.75 * HOUR);
  });
});
