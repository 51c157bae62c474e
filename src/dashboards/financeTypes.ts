/** finance_metrics' answer (76_finance_metrics.sql); USD figures rounded to cents. */
export interface FinanceMetrics {
  from: string;
  to: string;
  provider: string | null;
  totals: {
    cash_in_usd: number;
    credits_bought: number;
    revenue_usd: number;
    refunds_usd: number;
    breakage_usd: number;
    provider_cost_usd: number;
    gross_margin_usd: number;
    margin_pct: number | null;
    deferred_revenue_usd: number;
  };
  daily: {
    day: string;
    cash_in_usd: number;
    revenue_usd: number;
    cost_usd: number;
    margin_usd: number;
    breakage_usd: number;
  }[];
  by_model: {
    provider: string;
    model: string;
    generations: number;
    revenue_usd: number;
    refunds_usd: number;
    cost_usd: number;
    margin_usd: number;
    margin_pct: number | null;
  }[];
  top_customers: {
    customer_id: string;
    email: string | null;
    generations: number;
    cost_usd: number;
    revenue_usd: number;
    margin_usd: number;
  }[];
}
