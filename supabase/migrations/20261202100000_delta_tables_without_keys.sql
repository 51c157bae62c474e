-- Delta tables without key, sequence or index (issue 13, "fewer append points per write"):
-- each append was a heap tuple, a nextval on the identity sequence's page and an entry at the
-- primary key's rightmost leaf, three relation locks; now one heap tuple and one lock. Their
-- emptied pages are vacuumed after 500 dead rows and never truncated (a truncation's ACCESS
-- EXCLUSIVE lock would queue every writer). The health report does not flag them for
-- the missing primary key. (Why, and what was measured: 70_rollups.sql, "Append points".)
-- Dropping the identity column drops its key and its sequence; the rows stay.

alter table public.generation_daily_deltas drop column id;
alter table public.ledger_daily_deltas drop column id;
alter table public.customer_activity_changes drop column id;
alter table public.finance_daily_deltas drop column id;

alter table public.generation_daily_deltas
  set (autovacuum_vacuum_threshold = 500, autovacuum_vacuum_scale_factor = 0, vacuum_truncate = false);
alter table public.ledger_daily_deltas
  set (autovacuum_vacuum_threshold = 500, autovacuum_vacuum_scale_factor = 0, vacuum_truncate = false);
alter table public.customer_activity_changes
  set (autovacuum_vacuum_threshold = 500, autovacuum_vacuum_scale_factor = 0, vacuum_truncate = false);
alter table public.finance_daily_deltas
  set (autovacuum_vacuum_threshold = 500, autovacuum_vacuum_scale_factor = 0, vacuum_truncate = false);

-- The append-only delta tables (70_rollups.sql, 76_finance_metrics.sql, "Append points"):
-- no primary key on purpose, so the health report does not flag them for it.
create or replace function private.append_only_tables()
returns text[] language sql immutable set search_path = '' as $$
  select array['generation_daily_deltas', 'ledger_daily_deltas', 'customer_activity_changes',
               'finance_daily_deltas']
$$;

create or replace function public.database_health()
returns json language plpgsql stable security definer set search_path = '' as $$
declare
  v_tables jsonb := '[]'::jsonb;
  v_table jsonb;
  v_rel record;
  v_empty boolean;
  v_exact bigint;
  v_last_write timestamptz;
  v_ts_column text;
  v_flags text[];
  v_drops text := '';
  v_dump_targets text := '';
  v_unused jsonb;
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may read the database health report.');
  end if;

  for v_rel in
    select c.oid, c.relname, c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced,
           -- reltuples is -1 until the first ANALYZE; the live-tuple counter is the fallback.
           case when c.reltuples >= 0 then c.reltuples::bigint else coalesce(s.n_live_tup, 0) end as estimated_rows,
           pg_catalog.pg_total_relation_size(c.oid) as total_bytes,
           s.n_tup_ins + s.n_tup_upd + s.n_tup_del as writes,
           greatest(s.last_vacuum, s.last_autovacuum) as last_vacuum,
           greatest(s.last_analyze, s.last_autoanalyze) as last_analyze,
           (select count(*) from pg_catalog.pg_policy p where p.polrelid = c.oid) as policy_count,
           exists (select 1 from pg_catalog.pg_constraint k where k.conrelid = c.oid and k.contype = 'p') as has_primary_key,
           c.relname = any (private.creditdesk_tables()) as used,
           o.kind as known_kind, o.reason as known_reason, coalesce(o.propose_drop, false) as propose_drop
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_stat_user_tables s on s.relid = c.oid
      left join lateral (select * from private.known_obsolete_table(c.relname) limit 1) o on true
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
     order by c.relname
  loop
    -- Exact facts where they are cheap: emptiness always (one row read), the exact count and
    -- the newest created_at/updated_at only for small tables, so the report stays fast on a
    -- big production database. A table the function may not read is reported without them.
    v_empty := null; v_exact := null; v_last_write := null;
    begin
      execute format('select not exists (select 1 from %s)', v_rel.oid::regclass) into v_empty;
      if v_rel.estimated_rows < 100000 then
        execute format('select count(*) from %s', v_rel.oid::regclass) into v_exact;
        select string_agg(format('max(%I)', a.attname), ', ') into v_ts_column
          from pg_catalog.pg_attribute a
         where a.attrelid = v_rel.oid and a.attnum > 0 and not a.attisdropped
           and a.attname in ('created_at', 'updated_at', 'at', 'last_seen_at')
           and a.atttypid in ('timestamptz'::regtype, 'timestamp'::regtype);
        if v_ts_column is not null then
          execute format('select greatest(%s)::timestamptz from %s', v_ts_column, v_rel.oid::regclass) into v_last_write;
        end if;
      end if;
    exception when insufficient_privilege then
      null;
    end;

    select coalesce(jsonb_agg(jsonb_build_object('name', i.relname, 'bytes', pg_catalog.pg_relation_size(i.oid),
                                                 'scans', coalesce(si.idx_scan, 0)) order by i.relname), '[]'::jsonb)
      into v_unused
      from pg_catalog.pg_index x
      join pg_catalog.pg_class i on i.oid = x.indexrelid
      left join pg_catalog.pg_stat_user_indexes si on si.indexrelid = x.indexrelid
     where x.indrelid = v_rel.oid and not x.indisunique and not x.indisprimary
       and coalesce(si.idx_scan, 0) = 0;

    v_flags := array_remove(array[
      v_rel.known_kind,
      case when not v_rel.used and v_rel.known_kind is null then 'not_used' end,
      case when v_empty then 'empty' end,
      case when not v_rel.rls_enabled then 'rls_disabled' end,
      case when not v_rel.has_primary_key and not v_rel.relname = any (private.append_only_tables())
           then 'no_primary_key' end,
      case when jsonb_array_length(v_unused) > 0 then 'unused_indexes' end
    ], null);

    v_table := jsonb_build_object(
      'name', v_rel.relname,
      'used_by_creditdesk', v_rel.used,
      'category', case when v_rel.used then 'creditdesk' when v_rel.known_kind is not null then 'legacy' else 'unknown' end,
      'reason', v_rel.known_reason,
      'estimated_rows', v_rel.estimated_rows,
      'exact_rows', v_exact,
      'total_bytes', v_rel.total_bytes,
      'total_size', pg_catalog.pg_size_pretty(v_rel.total_bytes),
      'last_write', v_last_write,
      'writes_since_stats_reset', v_rel.writes,
      'last_vacuum', v_rel.last_vacuum,
      'last_analyze', v_rel.last_analyze,
      'rls_enabled', v_rel.rls_enabled,
      'rls_forced', v_rel.rls_forced,
      'policy_count', v_rel.policy_count,
      'has_primary_key', v_rel.has_primary_key,
      'unused_indexes', v_unused,
      'flags', to_jsonb(v_flags));
    v_tables := v_tables || jsonb_build_array(v_table);

    if v_rel.known_kind is not null then
      v_dump_targets := v_dump_targets || format(' --table=%s',
        quote_literal(quote_ident('public') || '.' || quote_ident(v_rel.relname)));
      -- No CASCADE: if a view or foreign key still depends on the table, the DROP fails and
      -- the reviewer sees what still uses it instead of losing it silently.
      v_drops := v_drops || format(E'-- %s: %s%s\n%sdrop table public.%I;\n\n',
        v_rel.relname, v_rel.known_reason,
        case when v_empty then ' Empty.'
             when v_exact is not null then format(' Holds %s rows: check they are backed up (and imported) first.', v_exact)
             else format(' Holds about %s rows: check they are backed up (and imported) first.', v_rel.estimated_rows) end,
        case when v_rel.propose_drop then '' else '-- optional: ' end,
        v_rel.relname);
    end if;
  end loop;

  return json_build_object(
    'generated_at', now(),
    'database', pg_catalog.current_database(),
    'stats_since', (select stats_reset from pg_catalog.pg_stat_database where datname = pg_catalog.current_database()),
    'summary', (select jsonb_build_object(
        'tables', count(*),
        'creditdesk_tables', count(*) filter (where (t ->> 'used_by_creditdesk')::boolean),
        'flagged_legacy', count(*) filter (where t ->> 'category' = 'legacy'),
        'unknown', count(*) filter (where t ->> 'category' = 'unknown'),
        'rls_disabled', count(*) filter (where t -> 'flags' ? 'rls_disabled'),
        'no_primary_key', count(*) filter (where t -> 'flags' ? 'no_primary_key'),
        'empty', count(*) filter (where t -> 'flags' ? 'empty'),
        'total_bytes', coalesce(sum((t ->> 'total_bytes')::bigint), 0))
      from jsonb_array_elements(v_tables) t),
    'tables', v_tables,
    'proposal', json_build_object(
      'backup_command', case when v_dump_targets <> '' then
        'pg_dump "$DATABASE_URL" --format=custom --file=creditdesk-cleanup-backup.dump' || v_dump_targets end,
      'sql', case when v_drops <> '' then
        E'-- Proposed clean-up from CreditDesk''s database health report. Review every line;\n'
        || E'-- run the backup command first. Nothing here has been executed.\n'
        || E'begin;\n\n' || v_drops || E'commit;\n' end));
end $$;

revoke all on function private.append_only_tables() from public;
