import { CallHandler, ExecutionContext, Injectable, NestInterceptor, StreamableFile } from '@nestjs/common';
import { map, Observable } from 'rxjs';

export interface SuccessEnvelope<T> {
  success: true;
  data: T;
}

/** Wraps every controller result as `{"success": true, "data": …}`; a file download goes out as it is. */
@Injectable()
export class EnvelopeInterceptor<T> implements NestInterceptor<T, SuccessEnvelope<T> | StreamableFile> {
  intercept(_context: ExecutionContext, next: CallHandler<T>): Observable<SuccessEnvelope<T> | StreamableFile> {
    return next
      .handle()
      .pipe(map((data) => (data instanceof StreamableFile ? data : { success: true as const, data })));
  }
}
