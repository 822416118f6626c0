import { ApiProperty } from '@nestjs/swagger';
import { type User } from '../models/user';

/** OpenAPI schema of the User model. */
export class UserDto implements User {
  @ApiProperty({ example: 'user_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E' })
  id!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ type: 'integer', nullable: true, example: 28 })
  age!: number | null;

  @ApiProperty({ type: String, format: 'uri', nullable: true, example: 'https://cdn.example.com/ada.png' })
  avatar!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'female' })
  gender!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  vibe!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  vibeExpiresAt!: string | null;
}
