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

/**
 * The day axis of every chart: about eight labels, every n-th day. A fixed step rather than
 * recharts' default ('preserveEnd'), which measures every label in the DOM (90 for a quarter)
 * on each render of the chart to choose those that fit: the largest part of a chart's draw.
 */
export const dayAxis = (days: number) => ({
  dataKey: 'day',
  tickFormatter: dayTick,
  interval: Math.max(0, Math.ceil(days / 8) - 1),
});
export const dayLabel = (day: unknown) => `${String(day)} (UTC)`;
