import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServicePlatformModule } from '@gisbi/platform';
import { ProximityBootstrapHandler } from './bootstrap/proximity-bootstrap.handler';
import { PROXIMITY_ENV, type ProximityEnv } from './config/proximity-config';
import { proximityMigrations } from './migrations';
import { ProximitySessionEntity } from './sessions/proximity-session.entity';

export const proximityEntities = [ProximitySessionEntity];

/** Proximity: BLE tokens, sessions, heartbeats, verified together-time and milestones. */
@Module({})
export class ProximityModule {
  static forRoot(env: ProximityEnv): DynamicModule {
    return {
      module: ProximityModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'proximity',
          env,
          database: { schema: 'proximity', entities: proximityEntities, migrations: proximityMigrations },
        }),
        TypeOrmModule.forFeature(proximityEntities),
      ],
      controllers: [ProximityBootstrapHandler],
      providers: [{ provide: PROXIMITY_ENV, useValue: env }],
    };
  }
}
