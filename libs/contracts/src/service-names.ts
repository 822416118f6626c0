/** The deployable units of the backend; socket commands and RPCs are addressed to one of them. */
export const SERVICE_NAMES = [
  'gateway',
  'auth',
  'presence',
  'connections',
  'chat',
  'proximity',
  'gifts',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (SERVICE_NAMES as readonly string[]).includes(value);
}
