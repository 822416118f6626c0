import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A run of verified together-time of a connected pair (see session-model.ts for the state it holds). */
@Entity({ name: 'proximity_sessions' })
export class ProximitySessionEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ name: 'user_a_id', type: 'text' })
  userAId!: string;

  @Column({ name: 'user_b_id', type: 'text' })
  userBId!: string;

  @Column({ type: 'text' })
  status!: 'active' | 'paused' | 'ended';

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ name: 'active_since', type: 'timestamptz', nullable: true })
  activeSince!: Date | null;

  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt!: Date | null;

  @Column({ name: 'pause_reason', type: 'text', nullable: true })
  pauseReason!: string | null;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason!: string | null;

  @Column({ name: 'pause_due_at', type: 'timestamptz', nullable: true })
  pauseDueAt!: Date | null;

  @Column({ name: 'a_confirmed_at', type: 'timestamptz', nullable: true })
  aConfirmedAt!: Date | null;

  @Column({ name: 'b_confirmed_at', type: 'timestamptz', nullable: true })
  bConfirmedAt!: Date | null;

  @Column({ name: 'accumulated_ms', type: 'bigint' })
  accumulatedMs!: string;

  @Column({ name: 'current_run_ms', type: 'bigint' })
  currentRunMs!: string;

  @Column({ type: 'jsonb' })
  state!: unknown;

  @Column({ name: 'pending_flags', type: 'integer' })
  pendingFlags!: number;

  @Column({ name: 'relay_suspected', type: 'boolean' })
  relaySuspected!: boolean;

  @Column({ name: 'last_distance_m', type: 'double precision', nullable: true })
  lastDistanceM!: number | null;

  @Column({ name: 'positions_due_at', type: 'timestamptz', nullable: true })
  positionsDueAt!: Date | null;

  /** Counts changes to the columns a heartbeat decides on (kept by a trigger; see the migration). */
  @Column({ type: 'bigint', default: 0 })
  version!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
