import { maxValue, minValue, number, required } from 'react-admin';

// The same bounds as the table's check constraints, so the form explains them first.
export const validateCost = [
  required(),
  number(),
  minValue(0, 'A price cannot be negative.'),
  maxValue(100000),
  (value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value)
      ? 'Credits are whole numbers.'
      : undefined,
];

export const validateTypeKey = [
  required(),
  (value: unknown) =>
    typeof value === 'string' && !/^[a-z0-9_.-]{1,64}$/.test(value)
      ? 'Lowercase letters, digits and _ . - only, at most 64 characters.'
      : undefined,
];
