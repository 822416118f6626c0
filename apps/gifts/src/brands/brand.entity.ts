import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A sponsor. */
@Entity({ name: 'brands' })
export class BrandEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text', nullable: true })
  logo!: string | null;

  @Column({ type: 'text' })
  category!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
