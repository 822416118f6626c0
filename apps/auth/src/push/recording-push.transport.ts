import type { DataSource } from 'typeorm';
import type { PushDevice } from '@gisbi/contracts';
import type { Clock } from '@gisbi/platform';
import { PushAttemptEntity } from './push-attempt.entity';
import { type PushNotification, type PushResult, PushTransport } from './push-transport';

/**
 * Used when FCM is not configured (development, tests): every attempt becomes a row of
 * `push_attempts`, so what would have been sent can be inspected and asserted.
 */
export class RecordingPushTransport extends PushTransport {
  readonly name = 'recording';

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    super();
  }

  async send(devices: PushDevice[], notification: PushNotification): Promise<PushResult[]> {
    if (devices.length === 0) return [];
    const createdAt = this.clock.now();
    await this.dataSource.getRepository(PushAttemptEntity).insert(
      devices.map((device) => ({
        userId: notification.userId,
        token: device.token,
        title: notification.title,
        body: notification.body,
        data: notification.data ?? null,
        collapseKey: notification.collapseKey ?? null,
        outcome: 'recorded',
        createdAt,
      })),
    );
    return devices.map((device) => ({ token: device.token, outcome: 'recorded' }));
  }
}
