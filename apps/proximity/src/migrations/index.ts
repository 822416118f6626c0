import { InitProximity1764720000000 } from './1764720000000-init-proximity';
import { VerifiedIntervalTextIds1764720000001 } from './1764720000001-verified-interval-text-ids';
import { RoomForHotUpdates1764720000002 } from './1764720000002-room-for-hot-updates';
import { RunDecisionVersion1764720000003 } from './1764720000003-run-decision-version';

/** Every migration of the proximity schema, in order. */
export const proximityMigrations = [
  InitProximity1764720000000,
  VerifiedIntervalTextIds1764720000001,
  RoomForHotUpdates1764720000002,
  RunDecisionVersion1764720000003,
];
