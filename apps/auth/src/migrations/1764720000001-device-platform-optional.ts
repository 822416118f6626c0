import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The contract makes `devicePlatform` optional at sign-in independently of `deviceToken`: a device may
 * be registered without a known platform (push goes through FCM either way). The CHECK still limits a
 * known one to ios/android/web.
 */
export class DevicePlatformOptional1764720000001 implements MigrationInterface {
  name = 'DevicePlatformOptional1764720000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE devices ALTER COLUMN platform DROP NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM devices WHERE platform IS NULL`);
    await queryRunner.query('ALTER TABLE devices ALTER COLUMN platform SET NOT NULL');
  }
}
