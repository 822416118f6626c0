import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A chat message between two users (indexes: see the init migration). */
@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'sender_id', type: 'text' })
  senderId!: string;

  @Column({ name: 'recipient_id', type: 'text' })
  recipientId!: string;

  @Column({ type: 'text' })
  content!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  /** The sender's clientMessageId, echoed in the Message. */
  @Column({ name: 'client_message_id', type: 'text', nullable: true })
  clientMessageId!: string | null;

  /** `c:<clientMessageId>` or `r:<requestId>`: unique per sender, so a retried send stores nothing new. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;
}
