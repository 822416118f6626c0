import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { App } from 'firebase-admin/app';
import { AUTH_ENV, type AuthEnv } from '../config/auth-config';
import type { MulticastSender } from '../push/fcm-push.transport';

/**
 * The Firebase service account, when configured: custom tokens at login (so the app can use Firebase
 * with the same identity) and FCM. firebase-admin is loaded on first use only.
 */
@Injectable()
export class FirebaseAdminService implements OnApplicationShutdown {
  private readonly logger = new Logger(FirebaseAdminService.name);
  private app?: Promise<App>;

  constructor(@Inject(AUTH_ENV) private readonly env: AuthEnv) {}

  get enabled(): boolean {
    return this.env.firebase !== null;
  }

  /** A Firebase custom token whose uid is our user id; null when Firebase is off or signing fails. */
  async customToken(userId: string): Promise<string | null> {
    if (!this.enabled) return null;
    try {
      const { getAuth } = await import('firebase-admin/auth');
      return await getAuth(await this.getApp()).createCustomToken(userId);
    } catch (error) {
      // Login does not depend on Firebase: the client gets our tokens and can retry Firebase later.
      this.logger.error(`Firebase custom token for ${userId} failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  async messaging(): Promise<MulticastSender> {
    const { getMessaging } = await import('firebase-admin/messaging');
    return getMessaging(await this.getApp());
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.app) return;
    const app = await this.app.catch(() => undefined);
    if (!app) return;
    const { deleteApp } = await import('firebase-admin/app');
    await deleteApp(app).catch(() => undefined);
  }

  private getApp(): Promise<App> {
    const credentials = this.env.firebase;
    if (!credentials) return Promise.reject(new Error('Firebase is not configured'));
    this.app ??= import('firebase-admin/app').then(({ cert, initializeApp }) =>
      // A named app per service instance: several instances (tests) never share firebase-admin state.
      initializeApp(
        { credential: cert(credentials), projectId: credentials.projectId },
        `gisbi-auth-${randomUUID()}`,
      ),
    );
    return this.app;
  }
}
