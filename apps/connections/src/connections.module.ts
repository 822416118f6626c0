import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServicePlatformModule } from '@gisbi/platform';
import { ConnectionsBootstrapHandler } from './bootstrap/connections-bootstrap.handler';
import { CONNECTIONS_ENV, type ConnectionsEnv } from './config/connections-config';
import { connectionsMigrations } from './migrations';
import { BlockEntity } from './safety/block.entity';

export const connectionsEntities = [BlockEntity];

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
        TypeOrmModule.forFeature(connectionsEntities),
      ],
      controllers: [ConnectionsBootstrapHandler],
      providers: [{ provide: CONNECTIONS_ENV, useValue: env }],
    };
  }
}
