-- The generations list counts a status and a provider exactly (below the count threshold); with
-- provider carried in the status index that count is an index-only scan. Built under a new name
-- and swapped so the list keeps an index throughout. A plain CREATE INDEX (a migration runs in a
-- transaction, so not CONCURRENTLY) holds writes to generations for the build: about 4 s per
-- 2 million rows on the bench machine.
create index generations_status_provider_idx on public.generations (status, created_at desc)
  include (provider);
drop index public.generations_status_idx;
alter index public.generations_status_provider_idx rename to generations_status_idx;
