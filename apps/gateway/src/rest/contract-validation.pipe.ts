import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ErrorCode, findUnstorableText, unstorableTextMessage, validateInput } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';

/**
 * Validates REST bodies with the same contract DTOs and the same rules as socket payloads: unknown or
 * ill-typed fields are a 400 with the contract's code, and nothing reaches a service. Path and query
 * values are held to the rule every string obeys: text no database column can store (a `%00` in a
 * connection id) is a 400 here, not a failed query in a service.
 */
@Injectable()
export class ContractValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'param' || metadata.type === 'query') {
      const path = findUnstorableText(value);
      if (path !== undefined) {
        const field = [metadata.data, path].filter(Boolean).join('.') || metadata.type;
        throw DomainError.badRequest(ErrorCode.validation_failed, unstorableTextMessage(field));
      }
      return value;
    }
    const schema = metadata.metatype;
    if (metadata.type !== 'body' || !schema || !isDtoClass(schema)) return value;
    // No body at all is validated as `{}` (each missing field gets its own code); a JSON `null` body is not.
    const result = validateInput(schema as new () => object, value, {
      fallbackCode: ErrorCode.validation_failed,
      forbidUnknown: true,
    });
    if (!result.ok) throw DomainError.badRequest(result.code, result.message);
    return result.value;
  }
}

function isDtoClass(metatype: unknown): boolean {
  return (
    typeof metatype === 'function' && ![String, Boolean, Number, Array, Object].includes(metatype as never)
  );
}
