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

/**
 * The body of a route that takes none: absent or `{}`. Like every REST body, fields it does not define are
 * refused (a client sending some expects them to mean something).
 */
export class EmptyRequestDto {}
