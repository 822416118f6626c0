import { type BOOTSTRAP_SERVICES, RpcMethod, type RpcContract, type RpcService } from './rpc';

// Compile-time: every named method has request/response types, and every bootstrap service answers it.
type Named<S extends RpcService> = S extends keyof typeof RpcMethod
  ? (typeof RpcMethod)[S][keyof (typeof RpcMethod)[S]]
  : never;
type Untyped = { [S in RpcService]: Exclude<Named<S>, keyof RpcContract[S]> }[RpcService];
const everyMethodTyped: [Untyped] extends [never] ? true : Untyped = true;
type NoBootstrap = Exclude<
  (typeof BOOTSTRAP_SERVICES)[number],
  { [S in RpcService]: 'bootstrap' extends keyof RpcContract[S] ? S : never }[RpcService]
>;
const everyBootstrapTyped: [NoBootstrap] extends [never] ? true : NoBootstrap = true;

describe('RpcMethod', () => {
  it('has request/response types for every method', () => {
    expect(everyMethodTyped).toBe(true);
    expect(everyBootstrapTyped).toBe(true);
  });

  it('uses distinct method names within a service', () => {
    for (const methods of Object.values(RpcMethod)) {
      const names = Object.values(methods);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
