import type { Json } from '@/types/database';

export type ValueKind = 'boolean' | 'number' | 'string' | 'json';

// What the editor holds while the typed text cannot become a value yet. Keeping it in the
// form (instead of the last good value) is what lets validation block the save.
export class InvalidValue {
  constructor(
    readonly text: string,
    readonly message: string,
  ) {}
}

export function detectKind(value: unknown): ValueKind {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return 'json';
}

export function toJsonText(value: unknown): string {
  if (value instanceof InvalidValue) return value.text;
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

export function parseJsonText(text: string): Json | InvalidValue {
  if (!text.trim()) return new InvalidValue(text, 'Enter a JSON value, e.g. {"enabled": true}.');
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    return new InvalidValue(text, `Invalid JSON: ${(error as Error).message}`);
  }
}

export function parseNumberText(text: string): number | InvalidValue {
  const number = Number(text.trim());
  if (!text.trim() || !Number.isFinite(number)) {
    return new InvalidValue(text, 'Enter a number, e.g. 42 or 0.5.');
  }
  return number;
}

// Switching the type keeps whatever of the current value still makes sense.
export function convertValue(value: unknown, kind: ValueKind): Json | InvalidValue {
  const current = value instanceof InvalidValue ? value.text : value;
  switch (kind) {
    case 'boolean':
      return current === true || current === 'true';
    case 'number':
      return typeof current === 'number' ? current : parseNumberText(String(current ?? ''));
    case 'string':
      return typeof current === 'string' ? current : toJsonText(current);
    case 'json':
      return value instanceof InvalidValue ? value : ((current ?? null) as Json);
  }
}

export function validateConfigValue(value: unknown): string | undefined {
  if (value instanceof InvalidValue) return value.message;
  if (value === undefined) return 'A value is required.';
  return undefined;
}

export function previewValue(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
