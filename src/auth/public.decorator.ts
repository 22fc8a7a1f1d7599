import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'leadport:isPublic';

/** Opens a route to callers without an API key (health checks). Every other route needs one. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
