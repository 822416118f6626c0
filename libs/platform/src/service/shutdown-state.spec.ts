import { Logger } from '@nestjs/common';
import { ShutdownState } from './shutdown-state';

describe(ShutdownState.name, () => {
  let exit: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    // The watchdog's own log lines are expected here.
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('listens for SIGTERM and SIGINT while the app runs, and stops listening when it shuts down', () => {
    const state = new ShutdownState(20_000);

    state.onApplicationBootstrap();
    expect(process.listeners('SIGTERM')).toContain(state.shutdownRequested);
    expect(process.listeners('SIGINT')).toContain(state.shutdownRequested);

    state.onApplicationShutdown();
    expect(process.listeners('SIGTERM')).not.toContain(state.shutdownRequested);
    expect(process.listeners('SIGINT')).not.toContain(state.shutdownRequested);
  });

  it('drains from the signal on, before any shutdown hook', () => {
    const state = new ShutdownState(20_000);
    expect(state.draining).toBe(false);

    state.shutdownRequested('SIGTERM');

    expect(state.draining).toBe(true);
  });

  it('exits non-zero when a signalled shutdown outlasts SHUTDOWN_GRACE_MS', () => {
    const state = new ShutdownState(20_000);
    state.shutdownRequested('SIGTERM');
    state.beforeApplicationShutdown('SIGTERM');

    jest.advanceTimersByTime(19_999);
    expect(exit).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('never forces an exit for an app closed without a signal (tests, tools)', () => {
    const state = new ShutdownState(20_000);
    state.onApplicationBootstrap();
    state.beforeApplicationShutdown();
    state.onApplicationShutdown();

    jest.advanceTimersByTime(60_000);

    expect(state.draining).toBe(true);
    expect(exit).not.toHaveBeenCalled();
  });
});
