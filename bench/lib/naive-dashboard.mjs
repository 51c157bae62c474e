// The naive dashboard: download the raw rows of the range through PostgREST and aggregate
// them in Node. PostgREST answers at most max_rows (1000, as supabase/config.toml and hosted
// Supabase set it) per request, so rows come in keyset-paged requests that follow the
// created_at indexes: (created_at desc, id) for generations, (created_at desc, id desc) for
// the ledger. Same figures as dashboard_metrics' summary.
const PAGE = 1000;

const addDays = (day, n) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const pgTime = (s) => encodeURIComponent(s);

async function* rows({ rest, headers, table, select, from, to, idOrder }) {
  const lower = `${from}T00:00:00Z`;
  let upper = `${addDays(to, 1)}T00:00:00Z`;
  let after = null; // { created_at, id } of the last row received
  for (;;) {
    const q = new URLSearchParams({
      select: `${select},id`,
      order: `created_at.desc,id.${idOrder}`,
      limit: String(PAGE),
    });
    let url = `${rest}/${table}?${q}&created_at=gte.${pgTime(lower)}`;
    if (after) {
      const idCmp = idOrder === 'asc' ? 'gt' : 'lt';
      url += `&created_at=lte.${pgTime(after.created_at)}`;
      url += `&or=(created_at.lt.${pgTime(after.created_at)},and(created_at.eq.${pgTime(after.created_at)},id.${idCmp}.${encodeURIComponent(after.id)}))`;
    } else {
      url += `&created_at=lt.${pgTime(upper)}`;
    }
    const r = await fetch(url, { headers });
    if (!r.ok) throw new Error(`${table} ${r.status}: ${await r.text()}`);
    const page = await r.json();
    yield page;
    if (page.length < PAGE) return;
    after = page[page.length - 1];
    upper = after.created_at;
  }
}

export async function naiveMetrics({ rest, headers, from, to }) {
  let rowsFetched = 0;
  let requests = 0;
  const m = {
    generations: 0,
    succeeded: 0,
    failed: 0,
    cost_usd: 0,
    refunds: 0,
    credits_spent: 0,
    credits_bought: 0,
  };
  const customers = new Set();
  const byModel = new Map();
  const gens = rows({
    rest,
    headers,
    table: 'generations',
    select: 'created_at,provider,model,status,customer_id,cost_usd,latency_ms',
    from,
    to,
    idOrder: 'asc',
  });
  for await (const page of gens) {
    requests++;
    rowsFetched += page.length;
    for (const g of page) {
      m.generations++;
      if (g.status === 'succeeded') m.succeeded++;
      else if (g.status === 'failed') m.failed++;
      m.cost_usd += Number(g.cost_usd);
      customers.add(g.customer_id);
      const k = `${g.provider}/${g.model}`;
      const b = byModel.get(k) ?? { calls: 0, cost: 0 };
      b.calls++;
      b.cost += Number(g.cost_usd);
      byModel.set(k, b);
    }
  }
  const ledger = rows({
    rest,
    headers,
    table: 'credit_transactions',
    select: 'created_at,type,delta,provider',
    from,
    to,
    idOrder: 'desc',
  });
  for await (const page of ledger) {
    requests++;
    rowsFetched += page.length;
    for (const t of page) {
      if (t.type === 'refund') m.refunds++;
      else if (t.type === 'spend') m.credits_spent -= t.delta;
      else if (t.type === 'purchase') m.credits_bought += t.delta;
    }
  }
  return { ...m, active_customers: customers.size, models: byModel.size, rowsFetched, requests };
}
