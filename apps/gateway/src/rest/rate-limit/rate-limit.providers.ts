import type { Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { getOptionsToken, getStorageToken, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { GatewayEnv } from '../../config/gateway-config';
import { RateLimitStorage } from './rate-limit-storage';
import { addressTracker, credentialTracker, presentsNoCredential, RateLimit, RestRateLimitGuard } from './rest-rate-limit.guard';

/** The REST rate limits: the guard for every request, its two throttlers and their Redis counters. */
export function restRateLimitProviders(env: GatewayEnv): Provider[] {
  const ttl = env.REST_RATE_LIMIT_WINDOW_SECONDS * 1000;
  const options: ThrottlerModuleOptions = {
    // Only Retry-After, on a 429 (the guard): no per-throttler X-RateLimit-*-credential headers.
    setHeaders: false,
    throttlers: [
      {
        name: RateLimit.perCredential,
        ttl,
        limit: env.REST_RATE_LIMIT_PER_CREDENTIAL,
        getTracker: credentialTracker,
        skipIf: presentsNoCredential,
      },
      { name: RateLimit.perAddress, ttl, limit: env.REST_RATE_LIMIT_PER_ADDRESS, getTracker: addressTracker },
    ],
  };
  return [
    { provide: RateLimitStorage, useFactory: () => new RateLimitStorage(env) },
    { provide: getStorageToken(), useExisting: RateLimitStorage },
    { provide: getOptionsToken(), useValue: options },
    { provide: APP_GUARD, useClass: RestRateLimitGuard },
  ];
}
