/**
 * The old-space floor of the apps on the heartbeat path, as deploy/k8s sets it with GISBI_NODE_ARGS
 * (docs/operations.md "Node heap"): without it V8 sized their old space from the ~60 MB live heap and ran a
 * full mark-compact every 5–7 s at 1 000 heartbeats/s, each stalling ACKs for 30–60 ms.
 */
const HEARTBEAT_PATH_NODE_ARGS = ['--initial-old-space-size=256'];

/**
 * The seven apps the local stack runs, with their default HTTP ports (gateway: the public API), where
 * it differs, the port of health and metrics (the gateway's internal management port), and the Node
 * flags they run with unless GISBI_NODE_ARGS says otherwise.
 */
export const STACK_APPS = [
  { name: 'auth', port: 3001, migrates: true, nodeArgs: [] },
  { name: 'presence', port: 3002, migrates: true, nodeArgs: [] },
  { name: 'connections', port: 3003, migrates: true, nodeArgs: [] },
  { name: 'chat', port: 3004, migrates: true, nodeArgs: [] },
  { name: 'proximity', port: 3005, migrates: true, nodeArgs: HEARTBEAT_PATH_NODE_ARGS },
  { name: 'gifts', port: 3006, migrates: true, nodeArgs: [] },
  { name: 'gateway', port: 3000, managementPort: 3010, migrates: false, nodeArgs: HEARTBEAT_PATH_NODE_ARGS },
] as const;

export type StackApp = (typeof STACK_APPS)[number];

export function appEntry(distRoot: string, app: StackApp): string {
  return `${distRoot}/apps/${app.name}/src/main.js`;
}
