import { ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { ValidationError } from './app-error';

/** A value of the wrong type fails its other checks too (`emails: [1]` is also "too long"): its type says it all. */
const TYPE_CHECKS = ['isArray', 'isString', 'isInt', 'isObject', 'isBoolean'];

function messagesOf(error: ClassValidatorError): string[] {
  const constraints = error.constraints ?? {};
  const typeCheck = TYPE_CHECKS.find((name) => name in constraints);
  return typeCheck ? [constraints[typeCheck]] : Object.values(constraints);
}

function flatten(errors: ClassValidatorError[]): string[] {
  return errors.flatMap((e) => [...messagesOf(e), ...flatten(e.children ?? [])]);
}

/** Validates DTOs and reports every problem in one VALIDATION_ERROR message, each message once. */
export const appValidationPipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) => new ValidationError([...new Set(flatten(errors))].join('; ')),
});
