import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A chat message between two users. */
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
}
