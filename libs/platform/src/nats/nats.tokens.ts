import type { ServiceName } from '@gisbi/contracts';

export interface NatsModuleOptions {
  service: ServiceName;
  url: string;
  subjectPrefix: string;
  requestTimeoutMs: number;
  /** Distinguishes replicas in logs and NATS connection names. */
  instanceId: string;
}

export const NATS_OPTIONS = Symbol('NATS_OPTIONS');
