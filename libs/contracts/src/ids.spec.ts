import { IdPrefix, isPrefixedId } from './ids';

describe(isPrefixedId.name, () => {
  it('accepts <prefix>_<ULID>', () => {
    expect(isPrefixedId(IdPrefix.connection, 'conn_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E')).toBe(true);
    expect(isPrefixedId(IdPrefix.user, 'user_7ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(true);
  });

  it.each([
    ['another prefix', IdPrefix.user, 'conn_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E'],
    ['a contract example id', IdPrefix.user, 'user_123'],
    ['lower case', IdPrefix.user, 'user_01js3z8q4w5x6y7z8a9b0c1d2e'],
    ['excluded letters', IdPrefix.user, 'user_01JS3Z8Q4W5X6Y7Z8A9B0C1DIL'],
    ['overflowing time', IdPrefix.user, 'user_81JS3Z8Q4W5X6Y7Z8A9B0C1D2E'],
    ['too long', IdPrefix.user, 'user_01JS3Z8Q4W5X6Y7Z8A9B0C1D2EE'],
    ['not a string', IdPrefix.user, 42],
  ])('refuses %s', (_case, prefix, value) => {
    expect(isPrefixedId(prefix, value)).toBe(false);
  });
});
