import { emptyTrack, isSideLive, pauseDueAt, pieceMs, recordEvent, startAccruing, stopAccruing, type AccrualTrack, type Side } from './accrual';

const WINDOW = 15_000;

/** Feeds events (side, second) through the accrual from an activation at `activeAt` seconds. */
function run(events: Array<[Side, number]>, activeAt = 0, windowMs = WINDOW): { track: AccrualTrack; creditedMs: number; pieces: Array<[number, number]> } {
  let track = startAccruing(emptyTrack(), activeAt * 1000);
  let creditedMs = 0;
  const pieces: Array<[number, number]> = [];
  for (const [side, second] of events) {
    const result = recordEvent(track, side, second * 1000, windowMs);
    track = result.track;
    creditedMs += pieceMs(result.pieces);
    for (const piece of result.pieces) pieces.push([piece.start / 1000, piece.end / 1000]);
  }
  return { track, creditedMs, pieces };
}

describe('accrual', () => {
  it('credits only the overlap of both sides (the documented worked example)', () => {
    const sut = run([
      ['a', 0],
      ['b', 2],
      ['a', 5],
      ['b', 7],
      ['a', 10],
      ['b', 30],
      ['a', 31],
    ]);
    expect(sut.pieces).toEqual([
      [2, 5],
      [5, 7],
    ]);
    expect(sut.creditedMs).toBe(5000);
  });

  it('earns nothing from a one-sided stream, however long', () => {
    const events: Array<[Side, number]> = [];
    for (let second = 0; second <= 600; second += 5) events.push(['a', second]);
    expect(run(events).creditedMs).toBe(0);
  });

  it('earns nothing from a single event of the other side', () => {
    const events: Array<[Side, number]> = [['b', 0]];
    for (let second = 0; second <= 60; second += 5) events.push(['a', second]);
    expect(run(events).creditedMs).toBe(0);
  });

  it('credits steady alternating heartbeats up to the earlier last event', () => {
    const events: Array<[Side, number]> = [];
    for (let second = 0; second <= 60; second += 5) {
      events.push(['a', second]);
      events.push(['b', second + 1]);
    }
    // B's evidence starts at 1, A's ends at 60: verified [1, 60).
    expect(run(events).creditedMs).toBe(59_000);
  });

  it('bridges a gap exactly as long as the window', () => {
    const sut = run([
      ['a', 0],
      ['b', 0],
      ['a', 15],
      ['b', 15],
    ]);
    expect(sut.creditedMs).toBe(15_000);
  });

  it('does not bridge a gap one millisecond longer than the window', () => {
    let track = startAccruing(emptyTrack(), 0);
    track = recordEvent(track, 'a', 0, WINDOW).track;
    track = recordEvent(track, 'b', 0, WINDOW).track;
    const a = recordEvent(track, 'a', WINDOW + 1, WINDOW);
    const b = recordEvent(a.track, 'b', WINDOW + 1, WINDOW);
    expect(pieceMs(a.pieces) + pieceMs(b.pieces)).toBe(0);
    // A fresh run starts after the gap and earns again.
    const a2 = recordEvent(b.track, 'a', WINDOW + 5001, WINDOW);
    const b2 = recordEvent(a2.track, 'b', WINDOW + 5001, WINDOW);
    expect(pieceMs(a2.pieces) + pieceMs(b2.pieces)).toBe(5000);
  });

  it('never credits before the activation instant', () => {
    const sut = run(
      [
        ['a', 0],
        ['b', 1],
        ['a', 10],
        ['b', 11],
      ],
      8,
    );
    expect(sut.pieces).toEqual([[8, 10]]);
  });

  it('credits nothing while not accruing and nothing twice', () => {
    let track = stopAccruing(emptyTrack());
    track = recordEvent(track, 'a', 0, WINDOW).track;
    const stopped = recordEvent(track, 'b', 5000, WINDOW);
    expect(stopped.pieces).toEqual([]);
    const again = recordEvent(recordEvent(stopped.track, 'b', 5000, WINDOW).track, 'a', 5000, WINDOW);
    expect(again.pieces).toEqual([]);
  });

  it('treats an out-of-order timestamp as the side’s last instant (never moves backwards)', () => {
    let track = startAccruing(emptyTrack(), 0);
    track = recordEvent(track, 'a', 10_000, WINDOW).track;
    track = recordEvent(track, 'a', 9_000, WINDOW).track;
    expect(track.a.lastAt).toBe(10_000);
  });

  it('reports when evidence runs out and whether a side is live', () => {
    const { track } = run([
      ['a', 0],
      ['b', 4],
    ]);
    expect(pauseDueAt(track, WINDOW)).toBe(15_000);
    expect(pauseDueAt(emptyTrack(), WINDOW)).toBeNull();
    expect(isSideLive(track.a, 15_000, WINDOW)).toBe(true);
    expect(isSideLive(track.a, 15_001, WINDOW)).toBe(false);
    expect(isSideLive(emptyTrack().a, 0, WINDOW)).toBe(false);
  });
});
