-- Activity bitmaps stored uncompressed (STORAGE EXTERNAL: out of line, no pglz). A bitmap
-- compresses ~5:1, but every write compressed 25 kB again and every read decompressed it:
-- at 200,000 customers a generation that makes a customer active (up to six bitmaps: the
-- day, the day over all providers, its week and month, each per provider and over all)
-- cost 7.7 ms with compression and 1.6 ms without, and a 180-day active_customers reads
-- faster too. The price is disk: 25 kB instead of ~5 kB per (day, provider) at 200,000
-- customers (~13 MB a year at 4 providers, plus the week and month bitmaps).
alter table public.customer_activity_bitmaps alter column bits set storage external;
alter table public.customer_activity_period_bitmaps alter column bits set storage external;

-- STORAGE applies to values written from now on: rewrite the existing ones (no trigger on
-- these tables; `|| ''` makes a new value, so it is stored again).
update public.customer_activity_bitmaps set bits = bits || ''::varbit;
update public.customer_activity_period_bitmaps set bits = bits || ''::varbit;
