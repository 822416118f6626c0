/**
 * The seven apps the local stack runs, with their default HTTP ports (gateway: the public API) and, where
 * it differs, the port of health and metrics (the gateway's internal management port).
 */
export const STACK_APPS = [
  { name: 'auth', port: 3001, migrates: true },
  { name: 'presence', port: 3002, migrates: true },
  { name: 'connections', port: 3003, migrates: true },
  { name: 'chat', port: 3004, migrates: true },
  { name: 'proximity', port: 3005, migrates: true },
  { name: 'gifts', port: 3006, migrates: true },
  { name: 'gateway', port: 3000, managementPort: 3010, migrates: false },
] as const;

export type StackApp = (typeof STACK_APPS)[number];

export function appEntry(distRoot: string, app: StackApp): string {
  return `${distRoot}/apps/${app.name}/src/main.js`;
}
