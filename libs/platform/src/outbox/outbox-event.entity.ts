import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A domain event written in the same transaction as the change it announces (transactional outbox). */
@Entity({ name: 'outbox_events' })
export class OutboxEventEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** W3C traceparent of the transaction that wrote the event, so consumers join the same trace. */
  @Column({ name: 'trace_context', type: 'text', nullable: true })
  traceContext!: string | null;
}
