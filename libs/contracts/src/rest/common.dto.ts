import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type RestErrorBody } from '../errors/error-payload';

export class StatusOkDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: 'ok';
}

/** Every REST error: `{ "detail": "message", "code": "optional_code" }`. */
export class RestErrorDto implements RestErrorBody {
  @ApiProperty({ example: 'userId is required' })
  detail!: string;

  @ApiPropertyOptional({ example: 'validation_failed', description: 'Machine-readable error code.' })
  code?: string;
}
