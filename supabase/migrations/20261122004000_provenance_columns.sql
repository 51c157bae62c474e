-- Where a row came from. customers already has source_system; sessions, generations and
-- feedback get it too, so rows brought over by public.import_legacy stay recognisable
-- ('legacy' for the fragmented tables, 'mega' for seed 001's MEGA_* tables) after the legacy
-- tables are dropped. Rows written by CreditDesk and the product keep the default.
alter table public.sessions add column source_system text not null default 'creditdesk'
  check (length(source_system) between 1 and 50);
alter table public.generations add column source_system text not null default 'creditdesk'
  check (length(source_system) between 1 and 50);
alter table public.feedback add column source_system text not null default 'creditdesk'
  check (length(source_system) between 1 and 50);
