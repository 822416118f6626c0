import { ApiProperty } from '@nestjs/swagger';
import { type ProximitySessionStatus } from '../models/proximity-session';
import {
  type ProximitySessionSummary,
  type ProximitySummary,
  type ProximityToken,
} from '../models/proximity-summary';

const SESSION_STATUSES: ProximitySessionStatus[] = ['active', 'paused', 'ended'];

/** POST /connections/:connectionId/proximity/token */
export class ProximityTokenResponseDto implements ProximityToken {
  @ApiProperty({ example: 'a3f9c2e1' })
  token!: string;

  @ApiProperty({ format: 'date-time', example: '2026-04-17T14:32:00Z' })
  expiresAt!: string;

  @ApiProperty({ example: 'conn_abc' })
  connectionId!: string;
}

export class ProximitySessionSummaryDto implements ProximitySessionSummary {
  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null while the run is active.',
  })
  endedAt!: string | null;

  @ApiProperty({ type: 'integer' })
  durationSeconds!: number;

  @ApiProperty({ enum: SESSION_STATUSES })
  status!: ProximitySessionStatus;
}

/** GET /connections/:connectionId/proximity/summary */
export class ProximitySummaryResponseDto implements ProximitySummary {
  @ApiProperty({ example: 'conn_abc' })
  connectionId!: string;

  @ApiProperty({ type: 'integer', example: 1020 })
  accumulatedSeconds!: number;

  @ApiProperty({ type: 'integer', example: 17 })
  accumulatedMinutes!: number;

  @ApiProperty({
    type: 'integer',
    isArray: true,
    example: [5, 15],
    description: 'Milestones reached, in minutes.',
  })
  unlockedMilestones!: number[];

  @ApiProperty({ type: 'integer', nullable: true, example: 30 })
  nextMilestone!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 780 })
  secondsUntilNext!: number | null;

  @ApiProperty({ type: () => ProximitySessionSummaryDto, isArray: true })
  sessions!: ProximitySessionSummaryDto[];
}
