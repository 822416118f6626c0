import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * OpenAPI 3 generated from the controllers and the contract DTOs they use: Swagger UI at /docs/, the
 * document at /docs.json. Socket events are described in docs/asyncapi.yaml.
 */
export function setupApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('GISBI API')
    .setDescription(
      'REST API of the GISBI backend. Realtime features use the single WebSocket endpoint /ws ' +
        '(Authorization: Bearer <accessToken> at the handshake); see docs/asyncapi.yaml for its events.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'accessToken')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Sponsor administration key (ADMIN_API_KEYS)' },
      'adminKey',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Venue key of a brand, issued by the admin API' },
      'venueKey',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs.json', yamlDocumentUrl: 'docs.yaml' });
}
