import { type DynamicModule, Global, Module } from '@nestjs/common';
import { UserDirectory } from '../clients/user-directory';
import { Clock } from '../clock/clock';
import { Metrics } from '../metrics/metrics';
import { Deliverer } from './deliverer';
import { NatsClient } from './nats-client';
import { NatsCommandServer } from './nats-command.server';
import { NATS_OPTIONS, type NatsModuleOptions } from './nats.tokens';

@Global()
@Module({})
export class NatsModule {
  static forRoot(options: NatsModuleOptions): DynamicModule {
    return {
      module: NatsModule,
      providers: [
        { provide: NATS_OPTIONS, useValue: options },
        NatsClient,
        Deliverer,
        UserDirectory,
        {
          provide: NatsCommandServer,
          useFactory: (nats: NatsClient, clock: Clock, metrics?: Metrics) =>
            new NatsCommandServer(nats, clock, metrics),
          inject: [NatsClient, Clock, { token: Metrics, optional: true }],
        },
      ],
      exports: [NatsClient, Deliverer, UserDirectory, NatsCommandServer],
    };
  }
}
