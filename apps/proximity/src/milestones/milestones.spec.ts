import { crossingInstant, giftTierOf, milestoneMessage, milestonesDue, nextMilestone, parseMilestones } from './milestones';

describe('milestones', () => {
  it('parses, sorts and validates the configured list', () => {
    expect(parseMilestones('15, 5,30')).toEqual({ ok: true, milestones: [5, 15, 30] });
    expect(parseMilestones('')).toEqual({ ok: false, message: 'at least one milestone is required' });
    expect(parseMilestones('5,1.5').ok).toBe(false);
    expect(parseMilestones('0,5').ok).toBe(false);
    expect(parseMilestones('-5').ok).toBe(false);
    expect(parseMilestones('5,5')).toEqual({ ok: false, message: 'milestones must be distinct' });
  });

  it('gives each milestone its 1-based tier', () => {
    const milestones = [5, 15, 30, 60, 120];
    expect(giftTierOf(milestones, 5)).toBe(1);
    expect(giftTierOf(milestones, 15)).toBe(2);
    expect(giftTierOf(milestones, 120)).toBe(5);
    expect(giftTierOf(milestones, 45)).toBe(4);
  });

  it('finds the milestones a total reaches, at the exact threshold', () => {
    const minute = 60_000;
    expect(milestonesDue([5, 15], [], 5 * minute - 1, minute)).toEqual([]);
    expect(milestonesDue([5, 15], [], 5 * minute, minute)).toEqual([5]);
    expect(milestonesDue([5, 15], [5], 16 * minute, minute)).toEqual([15]);
    expect(milestonesDue([5, 15], [], 16 * minute, minute)).toEqual([5, 15]);
  });

  it('names the next milestone, or null after the last', () => {
    expect(nextMilestone([5, 15, 30], [])).toBe(5);
    expect(nextMilestone([5, 15, 30], [5, 15])).toBe(30);
    expect(nextMilestone([5, 15, 30], [5, 15, 30])).toBeNull();
  });

  it('places the crossing inside the credited piece', () => {
    expect(crossingInstant(300_000, 290_000, 1_000_000, 1_020_000)).toBe(1_010_000);
    expect(crossingInstant(300_000, 300_000, 1_000_000, 1_020_000)).toBe(1_000_000);
  });

  it('words the message like the contract', () => {
    expect(milestoneMessage(15)).toBe("You've been together 15 minutes - a new gift is ready.");
    expect(milestoneMessage(1)).toBe("You've been together 1 minute - a new gift is ready.");
  });
});
