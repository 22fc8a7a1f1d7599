/**
 * Nest's `@Injectable()` without the rest of `@nestjs/common`, for providers that also run in import worker threads
 * (reading and cleaning files), where loading all of `@nestjs/common` would cost each thread ~10 MB.
 */
import 'reflect-metadata';

export { Injectable } from '@nestjs/common/decorators/core/injectable.decorator';
