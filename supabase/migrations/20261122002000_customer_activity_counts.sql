-- customer_daily_activity only ever gained rows, so deleting a generation or moving it to
-- another customer, day or provider left the customer "active" there and active_customers
-- drifted above a direct count. Keeping how many generations back each row lets the
-- rollup trigger decrement it and drop the row at 0. Existing rows get their true count
-- (and rows no generation backs any more go) in 20261122002300_rebuild_dashboard_rollups.
alter table public.customer_daily_activity
  add column generations bigint not null default 0;

-- Rows that reach 0 are deleted right after each write; these partial indexes hold only
-- those few rows, so that clean-up never scans the rollup.
create index customer_daily_activity_emptied_idx
  on public.customer_daily_activity (day) where generations = 0;
create index generation_daily_stats_emptied_idx
  on public.generation_daily_stats (day) where calls = 0;
