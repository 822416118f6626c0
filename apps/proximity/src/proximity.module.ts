import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServicePlatformModule } from '@gisbi/platform';
import { ProximityBootstrapHandler } from './bootstrap/proximity-bootstrap.handler';
import { PROXIMITY_ENV, PROXIMITY_SETTINGS, proximitySettings, type ProximityEnv } from './config/proximity-config';
import { ConnectionEventsConsumer } from './connections/connection-events.consumer';
import { ConnectionProjection } from './connections/connection-projection';
import { ProximityConnectionEntity } from './connections/proximity-connection.entity';
import { ProximityJobs } from './jobs/proximity-jobs';
import { proximityMigrations } from './migrations';
import { ProximityMilestoneEntity } from './milestones/proximity-milestone.entity';
import { ProximityQueriesController } from './queries/proximity-queries.controller';
import { EffectDispatcher } from './sessions/effects';
import { HeartbeatPool, heartbeatPoolSize } from './persistence/heartbeat-pool';
import { HeartbeatPaths } from './sessions/heartbeat-paths';
import { HeartbeatCache } from './sessions/heartbeat-cache';
import { ProximityCommandsController } from './sessions/proximity-commands.controller';
import { ProximityEngine } from './sessions/proximity-engine';
import { ProximitySessionEntity } from './sessions/proximity-session.entity';
import { SessionStore } from './sessions/session-store';
import { VerifiedIntervalEntity } from './sessions/verified-interval.entity';
import { ProximityTokenEntity } from './tokens/proximity-token.entity';
import { TokenController } from './tokens/token.controller';
import { TokenStore } from './tokens/token-store';

export const proximityEntities = [
  ProximityConnectionEntity,
  ProximityTokenEntity,
  ProximitySessionEntity,
  VerifiedIntervalEntity,
  ProximityMilestoneEntity,
];

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
          database: {
            schema: 'proximity',
            entities: proximityEntities,
            migrations: proximityMigrations,
            ownPoolConnections: heartbeatPoolSize(env.DATABASE_POOL_SIZE),
          },
        }),
        TypeOrmModule.forFeature(proximityEntities),
      ],
      controllers: [ProximityBootstrapHandler, ProximityCommandsController, TokenController, ProximityQueriesController],
      providers: [
        { provide: PROXIMITY_ENV, useValue: env },
        { provide: PROXIMITY_SETTINGS, useValue: proximitySettings(env) },
        ConnectionProjection,
        ConnectionEventsConsumer,
        EffectDispatcher,
        HeartbeatCache,
        HeartbeatPaths,
        HeartbeatPool,
        SessionStore,
        TokenStore,
        ProximityEngine,
        ProximityJobs,
      ],
    };
  }
}
