import { useGetList, useRecordContext } from 'react-admin';
import type { Database } from '@/types/database';

export type CreditBlock = Database['public']['Tables']['credit_blocks']['Row'];

const DAY = 86_400_000;
const live = (b: CreditBlock, now: number) =>
  b.expires_at === null || Date.parse(b.expires_at) > now;

/**
 * The order the database draws in (private.draw_credit_blocks): live blocks before those past
 * their expiry that the job has not reached yet, then soonest expiry first (never last), then
 * free before legacy before paid (draw_rank), then oldest first.
 */
export function inDrawdownOrder(blocks: CreditBlock[], now = Date.now()): CreditBlock[] {
  const expiry = (b: CreditBlock) => (b.expires_at === null ? Infinity : Date.parse(b.expires_at));
  return [...blocks].sort(
    (a, b) =>
      Number(!live(a, now)) - Number(!live(b, now)) ||
      expiry(a) - expiry(b) ||
      (a.draw_rank ?? 0) - (b.draw_rank ?? 0) ||
      Date.parse(a.created_at) - Date.parse(b.created_at) ||
      a.id - b.id,
  );
}

export interface BalanceSplit {
  paid: number;
  free: number;
  legacy: number;
  /** Credits whose block expires within the next 30 days. */
  expiringSoon: number;
  nextExpiry: string | null;
}

export function balanceSplit(blocks: CreditBlock[], now = Date.now()): BalanceSplit {
  const split: BalanceSplit = { paid: 0, free: 0, legacy: 0, expiringSoon: 0, nextExpiry: null };
  for (const b of blocks) {
    if (b.remaining <= 0) continue;
    split[b.kind as 'paid' | 'free' | 'legacy'] += b.remaining;
    if (b.expires_at && Date.parse(b.expires_at) <= now + 30 * DAY)
      split.expiringSoon += b.remaining;
    if (b.expires_at && (!split.nextExpiry || b.expires_at < split.nextExpiry))
      split.nextExpiry = b.expires_at;
  }
  return split;
}

/** The customer's blocks that still hold credits, in drawdown order (one query, shared). */
export function useCreditBlocks() {
  const record = useRecordContext();
  const { data, isPending, error } = useGetList<CreditBlock>(
    'credit_blocks',
    {
      filter: { customer_id: record?.id, 'remaining@gt': 0 },
      sort: { field: 'id', order: 'ASC' },
      pagination: { page: 1, perPage: 500 },
    },
    { enabled: record?.id !== undefined },
  );
  return { blocks: data ? inDrawdownOrder(data) : undefined, isPending, error };
}
