/** The import route's own, tighter rate limit ("import" throttler), on top of the default one. */
import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

const IMPORT_THROTTLE = 'leadport:importThrottle';

/** Puts a route under the "import" rate limit as well as the default one. */
export const ImportThrottle = () => SetMetadata(IMPORT_THROTTLE, true);

const reflector = new Reflector();

/** For the throttler's `skipIf`: whether the route is under the import limit. */
export function isImportRoute(context: ExecutionContext): boolean {
  return reflector.get<boolean>(IMPORT_THROTTLE, context.getHandler()) === true;
}
