import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode } from './app-error';

export class ErrorBodyDto {
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.VALIDATION_ERROR }) code: ErrorCode;
  @ApiProperty({ example: 'CSV file is empty' }) message: string;
}

export class ErrorEnvelopeDto {
  @ApiProperty({ example: false }) success: boolean;
  @ApiProperty({ type: ErrorBodyDto }) error: ErrorBodyDto;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_ERROR: the request is invalid; the message says how to fix it.',
  401: 'UNAUTHORIZED: missing, unknown or revoked API key.',
  403: 'FORBIDDEN: the key may not act on this workspace.',
  404: 'NOT_FOUND: no such resource in this workspace.',
  409: 'CONFLICT: the resource is busy or already in that state.',
  410: 'GONE: the resource is past its retention.',
  413: 'PAYLOAD_TOO_LARGE: the upload is over the limit.',
  429: 'RATE_LIMITED: too many requests; retry after the Retry-After header.',
  500: 'INTERNAL_ERROR: unexpected failure; no details are leaked.',
  503: 'SERVICE_UNAVAILABLE: the database is unreachable or the service is shutting down.',
};

/** Documents a `{"success": true, "data": <model>}` response. */
export function ApiEnvelope(model: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['success', 'data'],
        properties: { success: { type: 'boolean', example: true }, data: { $ref: getSchemaPath(model) } },
      },
    }),
  );
}

/** Documents the failure envelope for these statuses. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorEnvelopeDto }),
    ),
  );
}
