import { Global, Injectable, Module } from '@nestjs/common';

/** Set when the process has been asked to stop: readiness fails and no new import starts. */
@Injectable()
export class ShutdownState {
  shuttingDown = false;
}

@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class LifecycleModule {}
