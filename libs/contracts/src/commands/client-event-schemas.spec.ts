import { ClientEvent } from '../events/client-events';
import { validateInput } from '../validation/validate-input';
import { ClientEventSchemas } from './client-event-schemas';

describe('ClientEventSchemas', () => {
  it('has a payload class for every client event, and nothing else', () => {
    expect(Object.keys(ClientEventSchemas).sort()).toEqual(Object.values(ClientEvent).sort());
  });

  it.each(Object.entries(ClientEventSchemas))('%s validates without throwing on junk', (_type, schema) => {
    for (const input of [undefined, null, {}, [], 'x', { a: { b: [1] } }]) {
      expect(() => validateInput(schema, input)).not.toThrow();
    }
  });
});
