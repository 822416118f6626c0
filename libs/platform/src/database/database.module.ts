import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, type ServiceDatabaseOptions } from './data-source-options';
import { runMigrations } from './run-migrations';

export interface DatabaseModuleOptions extends ServiceDatabaseOptions {
  /** Apply pending migrations before the service starts taking work. */
  runMigrations: boolean;
}

@Module({})
export class DatabaseModule {
  static forService(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => buildDataSourceOptions(options),
          dataSourceFactory: async () => {
            const dataSource = await new DataSource(buildDataSourceOptions(options)).initialize();
            if (options.runMigrations) await runMigrations(dataSource, options.schema);
            return dataSource;
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
