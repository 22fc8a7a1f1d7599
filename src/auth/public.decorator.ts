import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'leadport:isPublic';

/** Marks an operation in the OpenAPI document that needs no key; app.setup.ts turns it into `security: []`. */
export const PUBLIC_OPERATION_EXTENSION = 'x-leadport-public';

/** Opens a route to callers without an API key (health checks). Every other route needs one. */
export const Public = () =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));
