import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, NotFoundException, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';

/** The routes of HealthController and MetricsController: what the kubelet and Prometheus read. */
const MANAGEMENT_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Whether Express routes `path` to a management endpoint. Its routing ignores case and one trailing
 * slash, so `/METRICS/` counts as `/metrics`: otherwise the public port would still serve it.
 */
function isManagementPath(path: string): boolean {
  return MANAGEMENT_PATHS.has(path.toLowerCase().replace(/(.)\/$/, '$1'));
}

/**
 * Health and metrics on an internal port of their own, for an app whose main port is public (the gateway:
 * its Ingress routes every path there). The app's one Express instance also answers on a second HTTP
 * server; `routeByPort`, installed before any other middleware, lets the management paths through on the
 * management port only and nothing else through on it. A refused request is answered as an unknown route
 * is, so the public port does not even reveal that the paths exist. The WebSocket server stays on the
 * main server (this one has no upgrade listener, so `/ws` here is an ordinary request, refused).
 */
@Injectable()
export class ManagementServer implements OnApplicationShutdown {
  private server?: Server;
  private boundPort?: number;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Express middleware deciding by the port a request arrived on; must come before every other one. */
  readonly routeByPort = (request: Request, _response: Response, next: NextFunction): void => {
    const onManagementPort = this.boundPort !== undefined && request.socket.localPort === this.boundPort;
    if (isManagementPath(request.path) === onManagementPort) return next();
    // Nest's own answer to an unknown route, through the app's exception filters ({detail, code} at the gateway).
    next(new NotFoundException(`Cannot ${request.method} ${request.originalUrl}`));
  };

  /** Opens the management port (0: any free one) and returns the bound port; fails if it is taken. */
  async listen(port: number): Promise<number> {
    const server = createServer(this.adapterHost.httpAdapter.getInstance());
    await new Promise<void>((resolve, reject) => {
      const refuse = (error: Error) => reject(new Error(`Cannot open the management port ${port}: ${error.message}`));
      server.once('error', refuse);
      server.listen(port, '0.0.0.0', () => {
        server.off('error', refuse);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    return this.boundPort;
  }

  /**
   * Runs after Nest has closed the main server, so probes keep getting answers (readiness: draining)
   * for as long as the app still serves anything.
   */
  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
