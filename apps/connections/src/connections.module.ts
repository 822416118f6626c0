import { type DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@gisbi/platform';
import { AccountDeletionConsumer } from './accounts/account-deletion.consumer';
import { ConnectionsBootstrapHandler } from './bootstrap/connections-bootstrap.handler';
import { CONNECTIONS_ENV, type ConnectionsEnv } from './config/connections-config';
import { ConnectionViews } from './connections/connection-views';
import { ConnectionsController } from './connections/connections.controller';
import { ConnectionsService } from './connections/connections.service';
import { Fanout } from './delivery/fanout';
import { connectionsMigrations } from './migrations';
import { Peers } from './peers/peers';
import { AccountStore } from './persistence/account.store';
import { ConnectionStore } from './persistence/connection.store';
import { RequestStore } from './persistence/request.store';
import { SafetyStore } from './persistence/safety.store';
import { RequestExpiryJob } from './requests/request-expiry.job';
import { RequestsController } from './requests/requests.controller';
import { RequestsService } from './requests/requests.service';
import { RingLimitStore } from './ring/ring-limit.store';
import { RingController } from './ring/ring.controller';
import { RingService } from './ring/ring.service';
import { SafetyController } from './safety/safety.controller';
import { SafetyService } from './safety/safety.service';

/**
 * The stores use SQL directly (conditional UPDATEs, row and advisory locks are the point of this
 * service), so no TypeORM entity is mapped; the platform adds its outbox/inbox entities.
 */
export const connectionsEntities = [];

/** Connections: requests with expiry, connections, ring, safety reports and blocks. */
@Module({})
export class ConnectionsModule {
  static forRoot(env: ConnectionsEnv): DynamicModule {
    return {
      module: ConnectionsModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'connections',
          env,
          database: { schema: 'connections', entities: connectionsEntities, migrations: connectionsMigrations },
        }),
      ],
      controllers: [
        RequestsController,
        ConnectionsController,
        RingController,
        SafetyController,
        ConnectionsBootstrapHandler,
      ],
      providers: [
        { provide: CONNECTIONS_ENV, useValue: env },
        RequestStore,
        ConnectionStore,
        SafetyStore,
        AccountStore,
        RingLimitStore,
        Peers,
        Fanout,
        ConnectionViews,
        RequestsService,
        RequestExpiryJob,
        ConnectionsService,
        RingService,
        SafetyService,
        AccountDeletionConsumer,
      ],
    };
  }
}
