import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AuthContext } from './auth-context';

export type AuthenticatedRequest = Request & { auth: AuthContext };

/** The caller's AuthContext, as ApiKeyGuard resolved it. */
export const CurrentAuth = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthContext =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().auth,
);

/** The id of the workspace the request acts on. */
export const CurrentWorkspace = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().auth.workspaceId,
);
