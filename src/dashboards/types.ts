// The JSON that public.dashboard_metrics returns (numbers may arrive as JSON numbers of any
// size: Postgres bigint and numeric are rendered as plain JSON numbers by json_build_object).
export interface DailyPoint {
  day: string;
  generations: number;
  succeeded: number;
  failed: number;
  other: number;
  cost_usd: number;
  success_rate: number | null;
  refunds: number;
  refund_credits: number;
  credits_spent: number;
  credits_bought: number;
}

export interface ProviderModelRow {
  provider: string;
  model: string;
  calls: number;
  failures: number;
  successes: number;
  cost_usd: number;
  credits_charged: number;
  avg_latency_ms: number | null;
}

export interface DailyProviderPoint {
  day: string;
  provider: string;
  calls: number;
  cost_usd: number;
}

export interface DailyModelPoint extends DailyProviderPoint {
  model: string;
}

export interface DashboardMetrics {
  from: string;
  to: string;
  provider: string | null;
  days: number;
  timezone: 'UTC';
  generations: number;
  previous_generations: number;
  succeeded: number;
  failed: number;
  success_rate: number | null;
  failure_rate: number | null;
  cost_usd: number;
  cost_per_success_usd: number | null;
  refunds: number;
  refund_credits: number;
  credits_spent: number;
  credits_bought: number;
  credits_granted: number;
  credits_per_usd: number | null;
  active_customers: number;
  /** Every provider with generations in the range, whatever the provider filter. */
  providers?: string[];
  by_provider_model: ProviderModelRow[];
  daily: DailyPoint[];
  daily_by_provider: DailyProviderPoint[];
  daily_by_model: DailyModelPoint[];
}
