import { ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { ValidationError } from './app-error';

function flatten(errors: ClassValidatorError[]): string[] {
  return errors.flatMap((e) => [...Object.values(e.constraints ?? {}), ...flatten(e.children ?? [])]);
}

/** Validates DTOs and reports every problem in one VALIDATION_ERROR message. */
export const appValidationPipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) => new ValidationError(flatten(errors).join('; ')),
});
