import { regex, required } from 'react-admin';

// Mirrors the table's check constraints so a bad key is refused before the round trip.
export const validateKey = [
  required(),
  regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'Letters, digits and _ . : - only, at most 100 characters.'),
];
