// Colours and axis labels shared by the charts.
import { formatDay } from '@/components/dates';

export const PALETTE = [
  '#1976d2',
  '#ef6c00',
  '#2e7d32',
  '#8e24aa',
  '#00838f',
  '#c62828',
  '#6d4c41',
  '#546e7a',
];
export const colorAt = (i: number) => PALETTE[i % PALETTE.length];

export const dayTick = (day: string) => formatDay(day);
export const dayLabel = (day: unknown) => `${String(day)} (UTC)`;
