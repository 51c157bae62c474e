-- Reports for admins and reconciliation: public.database_health (every table in `public`,
-- flagged where the seeds found drift, with a clean-up proposal as text) and
-- public.ledger_integrity (balances, ledger chain and unsettled generations). Both only read.

-- The tables CreditDesk creates. Anything else in `public` belongs to someone else (the
-- consumer product shares the Supabase project) or to the legacy schema.
-- test/db/health.test.ts checks this list against every `create table` in supabase/schemas.
create or replace function private.creditdesk_tables()
returns text[] language sql immutable set search_path = '' as $$
  select array['staff', 'customers', 'sessions', 'generations', 'feedback', 'credit_transactions',
               'generation_types', 'admin_sessions', 'admin_audit', 'runtime_config', 'app_config',
               'generation_daily_stats', 'generation_daily_models', 'generation_daily_providers', 'ledger_daily_stats', 'customer_daily_activity',
               'customer_activity_keys', 'customer_activity_bitmaps', 'customer_activity_period_bitmaps',
               'credit_blocks', 'credit_block_draws', 'finance_daily_stats', 'finance_daily_deltas',
               'generation_daily_deltas', 'ledger_daily_deltas', 'customer_activity_changes',
               'customer_monthly_costs', 'customer_balances', 'customer_daily_revenue', 'customer_monthly_revenue']
$$;

-- The append-only delta tables (70_rollups.sql, 76_finance_metrics.sql, "Append points"):
-- no primary key on purpose, so the health report does not flag them for it.
create or replace function private.append_only_tables()
returns text[] language sql immutable set search_path = '' as $$
  select array['generation_daily_deltas', 'ledger_daily_deltas', 'customer_activity_changes',
               'finance_daily_deltas']
$$;

-- Tables the seeds name as duplicates or obsolete, with the reason shown to the admin and
-- written beside the proposed DROP. `drop` false: only a candidate (seed 003 calls
-- api_providers optional), so the DROP is proposed commented out.
create or replace function private.known_obsolete_table(p_name text)
returns table (kind text, reason text, propose_drop boolean)
language sql immutable set search_path = '' as $$
  select k.kind, k.reason, k.propose_drop
    from (values
      ('admin_allowlist', 'duplicate', 'Admin allowlist no code reads (seed 000); CreditDesk''s staff table decides who is staff.', true),
      ('mina_admin_allowlist', 'duplicate', 'Twin of admin_allowlist that no code reads (seed 000); staff decides who is staff.', true),
      ('runtime_config_flat', 'duplicate', 'Obsolete flat variant of runtime_config (seed 000); CreditDesk keeps runtime_config.', true),
      ('mina_runtime_config', 'duplicate', 'Obsolete twin of runtime_config (seed 000); CreditDesk keeps runtime_config.', true),
      ('users_profile', 'duplicate', 'Redundant copy of profiles that no code references (seed 000).', true),
      ('feedbacks', 'duplicate', 'Prisma''s plural twin of feedback (seed 000); import_legacy merges it into feedback.', true),
      ('credit_pools', 'obsolete', 'Pre-purchased provider credit pools; generations are pay-per-use (seed 003).', true),
      ('credit_purchase_requests', 'obsolete', 'Manual credit refill requests, a workflow that no longer exists (seed 003).', true),
      ('api_providers', 'obsolete', 'Multi-provider config; each generation records its provider (seed 003 calls dropping it optional).', false)
    ) as k(name, kind, reason, propose_drop)
   where k.name = p_name
  union all
  -- Seed 001's consolidation tables: import_legacy copies them into CreditDesk's tables.
  select 'legacy', 'MEGA consolidation table (seed 001); import_legacy brings its rows into CreditDesk''s tables.', true
   where upper(p_name) like 'MEGA\_%'
  union all
  -- mg_-prefixed copies of a real table (mg_customers next to customers).
  select 'duplicate', format('mg_-prefixed twin of %s (seed 001''s naming); CreditDesk keeps the plain name.', substr(p_name, 4)), true
   where lower(p_name) like 'mg\_%' and upper(p_name) not like 'MEGA\_%'
$$;

-- Database health for admins: every table in `public` with its size, activity and access
-- set-up, flagged where the seeds found drift (duplicate and obsolete tables, MEGA_* and
-- mg_-prefixed twins, tables without RLS or primary key, unused indexes). It is read-only:
-- the clean-up comes back as text (a pg_dump backup command, then DROP statements each with
-- its reason) for a person to review and run; nothing here drops or changes anything.
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

-- What signed-in users (role `authenticated`) may EXECUTE among the SECURITY DEFINER
-- functions, as docs/access.md states it: the browser RPCs (each checks the staff role
-- first) and the role helpers the policies call. anon may execute none. Each carries the
-- mark `@creditdesk client-callable` in its comment (99_grants.sql, "The access contract's
-- mark"). The advisor report flags any definer function beyond these;
-- test/db/access-contract.test.ts checks them against test/support/access.ts and the
-- catalog, so the three cannot drift apart.
create or replace function private.client_definer_contract()
returns table (schema_name text, function_name text)
language sql stable set search_path = '' as $$
  select distinct n.nspname::text, p.proname::text
    from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'private')
     and pg_catalog.obj_description(p.oid, 'pg_proc') ~ '(^|\n)@creditdesk client-callable\s*$'
$$;

-- The checks Supabase's advisors (splinter) run, where they apply to CreditDesk, written
-- as our own catalog queries, for admins on the Database health page. Security: tables in an
-- exposed schema without RLS (0013), policies on a table whose RLS is off (0007), SECURITY
-- DEFINER functions anon or authenticated may execute beyond the access contract (0028/0029,
-- narrowed to what docs/access.md does not allow), functions without a fixed search_path
-- (0011), columns with sensitive names readable by anon / authenticated without RLS (0023).
-- Performance: foreign keys without an index (0001), duplicate indexes (0009), policies that
-- call auth.*() or our role helpers per row instead of once, in (select …) (0003).
-- Exposed schemas: what PostgREST serves (pgrst.db_schemas, as hosted sets it), public at
-- least; functions, foreign keys and policies are also checked in `private`, which
-- authenticated may use (the policy helpers live there). Only reads the catalog.
create or replace function public.database_advisor()
returns json language plpgsql stable security definer set search_path = '' as $$
declare
  v_exposed text[];
  v_ours text[];
  v_lints jsonb;
begin
  if not private.has_role('admin') then
    perform private.raise_forbidden('Only admins may read the database advisor report.');
  end if;
  select array_agg(distinct btrim(s)) into v_exposed
    from unnest(string_to_array(coalesce(current_setting('pgrst.db_schemas', true), '') || ',public', ',')) s
   where btrim(s) <> '';
  v_ours := v_exposed || array['private'];

  with
  -- Objects an extension created are the extension's business (splinter skips them too).
  ext_objects as (
    select d.objid from pg_catalog.pg_depend d where d.deptype = 'e'
  ),
  rels as (
    select c.oid, n.nspname, c.relname, c.relkind, c.relrowsecurity,
           format('%I.%I', n.nspname, c.relname) as qualified
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where n.nspname = any (v_ours) and c.relkind in ('r', 'p', 'v', 'm')
       and not c.relispartition and c.oid not in (select objid from ext_objects)
  ),
  funcs as (
    select p.oid, n.nspname, p.proname, p.prosecdef, p.proconfig,
           format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) as signature
      from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where n.nspname = any (v_ours) and p.prokind in ('f', 'p')
       and p.oid not in (select objid from ext_objects)
  ),
  policies as (
    select r.qualified, p.polname,
           concat_ws(' ', pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                          pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)) as expr
      from pg_catalog.pg_policy p join rels r on r.oid = p.polrelid
  ),
  found as (
    select 'rls_disabled_in_public' as name, 'ERROR' as level, 'SECURITY' as category,
           r.qualified as object,
           'Row level security is off on a table PostgREST serves: whatever anon or authenticated hold on it is open to every row.' as detail,
           format('alter table %s enable row level security; then add the policies it needs.', r.qualified) as remediation
      from rels r
     where r.nspname = any (v_exposed) and r.relkind in ('r', 'p') and not r.relrowsecurity
    union all
    select 'policy_exists_rls_disabled', 'ERROR', 'SECURITY', r.qualified,
           format('The table has %s polic%s, but row level security is off, so none of them applies.',
                  count(*), case when count(*) = 1 then 'y' else 'ies' end),
           format('alter table %s enable row level security;', r.qualified)
      from rels r join pg_catalog.pg_policy p on p.polrelid = r.oid
     where not r.relrowsecurity
     group by r.qualified
    union all
    select 'security_definer_function_executable',
           case when g.anon then 'ERROR' else 'WARN' end, 'SECURITY', f.signature,
           format('A SECURITY DEFINER function that %s may execute, beyond the access contract (docs/access.md): it runs with its owner''s rights.',
                  concat_ws(' and ', case when g.anon then 'anon' end, case when g.authenticated then 'authenticated' end)),
           format('revoke execute on function %s from public, anon, authenticated; grant only what docs/access.md lists.', f.signature)
      from funcs f
      cross join lateral (select pg_catalog.has_function_privilege('anon', f.oid, 'execute') as anon,
                                 pg_catalog.has_function_privilege('authenticated', f.oid, 'execute') as authenticated) g
     where f.prosecdef
       and (g.anon
            or (g.authenticated and not exists (
                  select 1 from private.client_definer_contract() k
                   where k.schema_name = f.nspname and k.function_name = f.proname)))
    union all
    select 'function_search_path_mutable', 'WARN', 'SECURITY', f.signature,
           'The function does not fix its search_path, so a caller''s search_path decides which objects its unqualified names mean.',
           format('alter function %s set search_path = ''''; and schema-qualify every name in its body.', f.signature)
      from funcs f
     where not exists (select 1 from unnest(coalesce(f.proconfig, '{}')) c where c like 'search\_path=%')
    union all
    select 'sensitive_columns_exposed', 'ERROR', 'SECURITY', r.qualified,
           format('Column%s %s may be read by anon or authenticated, and no row level security guards the rows.',
                  case when count(*) > 1 then 's' else '' end, string_agg(a.attname, ', ' order by a.attnum)),
           format('Enable row level security on %s (a view: security_invoker = on), or revoke select on the column%s from anon and authenticated.',
                  r.qualified, case when count(*) > 1 then 's' else '' end)
      from rels r
      join pg_catalog.pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
     where r.nspname = any (v_exposed)
       and (r.relkind in ('r', 'p') and not r.relrowsecurity
            or r.relkind = 'm'
            or r.relkind = 'v' and not exists (
                 select 1 from pg_catalog.pg_class v
                  where v.oid = r.oid and coalesce(v.reloptions, '{}') && array['security_invoker=true', 'security_invoker=on']))
       and a.attname ~* '^(.*_)?(password|passwd|secret|token|api_?key|private_key|ssn|credit_card|card_number|cvv|cvc|iban|pin_code|passport(_number)?)$'
       and (pg_catalog.has_column_privilege('anon', r.oid, a.attnum, 'select')
            or pg_catalog.has_column_privilege('authenticated', r.oid, a.attnum, 'select'))
     group by r.qualified
    union all
    select 'unindexed_foreign_keys', 'INFO', 'PERFORMANCE', format('%s (%s)', r.qualified, k.conname),
           format('Foreign key on (%s) has no index that starts with its columns: a delete or key update on the referenced table scans this one.',
                  (select string_agg(a.attname, ', ' order by u.i) from unnest(k.conkey) with ordinality u(n, i)
                     join pg_catalog.pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n)),
           format('create index on %s (%s);', r.qualified,
                  (select string_agg(quote_ident(a.attname), ', ' order by u.i) from unnest(k.conkey) with ordinality u(n, i)
                     join pg_catalog.pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n))
      from pg_catalog.pg_constraint k join rels r on r.oid = k.conrelid
     where k.contype = 'f'
       and not exists (
         select 1 from pg_catalog.pg_index x
          where x.indrelid = k.conrelid
            and ((string_to_array(x.indkey::text, ' ')::int2[])[1:cardinality(k.conkey)] @> k.conkey
                 -- A partial index "where <the key> is not null" serves the key's lookups too.
                 and (x.indpred is null
                      or cardinality(k.conkey) = 1
                         and pg_catalog.pg_get_expr(x.indpred, x.indrelid) = format('(%I IS NOT NULL)',
                               (select a.attname from pg_catalog.pg_attribute a
                                 where a.attrelid = k.conrelid and a.attnum = k.conkey[1])))
                 -- So does a unique index on some of the key's columns: it finds the one row.
                 -- customers (id, credits) → customer_balances is served by customers' primary
                 -- key; an index with credits would cost every balance change its HOT update.
                 or x.indisunique and x.indpred is null and x.indexprs is null
                    and (string_to_array(x.indkey::text, ' ')::int2[])[1:x.indnkeyatts] <@ k.conkey))
    union all
    select 'duplicate_index', 'WARN', 'PERFORMANCE', r.qualified,
           format('Indexes %s are the same index: each write maintains all of them.', string_agg(i.relname, ', ' order by i.relname)),
           'Keep one of them and drop the others (or the constraint that made a duplicate).'
      from pg_catalog.pg_index x
      join rels r on r.oid = x.indrelid
      join pg_catalog.pg_class i on i.oid = x.indexrelid
     group by r.qualified, x.indkey::text, x.indclass::text, x.indcollation::text, x.indoption::text,
              coalesce(pg_catalog.pg_get_expr(x.indexprs, x.indrelid), ''),
              coalesce(pg_catalog.pg_get_expr(x.indpred, x.indrelid), ''), i.relam
    having count(*) > 1
    union all
    select 'auth_rls_initplan', 'WARN', 'PERFORMANCE', format('%s (policy %s)', p.qualified, p.polname),
           'The policy calls auth.*(), current_setting() or a role helper directly, so Postgres evaluates it for every row instead of once per statement.',
           'Wrap each call in a subquery: (select auth.uid()), (select private.has_role(''admin'')).'
      from policies p
     where regexp_replace(p.expr,
             'select\s+((auth\.(uid|jwt|role|email))|(private\.(staff_role|has_role|is_staff|is_service_role))|current_setting)\(',
             'select wrapped(', 'gi')
           ~* '((auth\.(uid|jwt|role|email))|(private\.(staff_role|has_role|is_staff|is_service_role))|current_setting)\('
  )
  select coalesce(jsonb_agg(jsonb_build_object('name', f.name, 'level', f.level, 'category', f.category,
                                               'object', f.object, 'detail', f.detail, 'remediation', f.remediation)
                            order by case f.level when 'ERROR' then 0 when 'WARN' then 1 else 2 end, f.name, f.object),
                  '[]'::jsonb)
    into v_lints
    from found f;

  return json_build_object(
    'checked_at', now(),
    'exposed_schemas', to_jsonb(v_exposed),
    'checked_schemas', to_jsonb(v_ours),
    'summary', json_build_object(
      'errors', (select count(*) from jsonb_array_elements(v_lints) l where l ->> 'level' = 'ERROR'),
      'warnings', (select count(*) from jsonb_array_elements(v_lints) l where l ->> 'level' = 'WARN'),
      'info', (select count(*) from jsonb_array_elements(v_lints) l where l ->> 'level' = 'INFO')),
    'lints', v_lints);
end $$;

-- Ledger integrity, checkable from SQL and shown on the database health page:
--  * customers whose balance differs from the sum of their ledger or its latest balance_after;
--  * ledger rows whose balance_after is not the previous row's balance_after + delta (per
--    customer, in id order: the order the ledger functions write in), so one bad row is
--    reported once rather than every row after it;
--  * generations charged but never settled: credits_charged > 0 and, older than
--    p_stale_after, still pending/processing, or failed/cancelled without a refund.
-- Every enabled staff role may call it: each of them already reads customers, generations
-- and the ledger (RLS), and finance reconciles while support repairs. It returns ids and
-- numbers only, at most 200 rows per list with the full count beside it. The service role
-- may call it too, so scripts/import-legacy.mjs can check the ledger after an import.
create or replace function public.ledger_integrity(p_stale_after interval default interval '1 hour')
returns json language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit constant integer := 200;
  v_balances json;
  v_chain json;
  v_unsettled json;
  v_block_balances json;
  v_block_draws json;
  v_overdue json;
begin
  if not (private.is_staff() or private.is_service_role()) then
    perform private.raise_forbidden('Only CreditDesk staff (or the service role) may read the ledger integrity report.');
  end if;
  if p_stale_after is null or p_stale_after < interval '0' then
    perform private.raise_bad_input('p_stale_after must be a positive interval, e.g. ''1 hour''.');
  end if;

  with sums as (
    select t.customer_id, sum(t.delta) as ledger_sum, count(*) as entries,
           (array_agg(t.balance_after order by t.id desc))[1] as latest_balance_after
      from public.credit_transactions t group by t.customer_id
  ), bad as (
    -- The balance row is the one source; customers.credits follows it by its foreign key.
    select c.id as customer_id, c.email, b.credits, coalesce(s.ledger_sum, 0) as ledger_sum,
           s.latest_balance_after, coalesce(s.entries, 0) as entries,
           b.credits - coalesce(s.ledger_sum, 0) as difference
      from public.customers c join public.customer_balances b on b.customer_id = c.id
      left join sums s on s.customer_id = c.id
     where b.credits <> coalesce(s.ledger_sum, 0)
        or b.credits <> coalesce(s.latest_balance_after, 0)
  )
  select json_build_object('count', (select count(*) from bad),
           'rows', coalesce((select json_agg(b order by abs(b.difference) desc, b.customer_id)
                               from (select * from bad order by abs(difference) desc, customer_id limit v_limit) b), '[]'))
    into v_balances;

  with chained as (
    select t.id as transaction_id, t.customer_id, t.type, t.delta, t.balance_after, t.created_at,
           lag(t.id) over w as previous_transaction_id,
           coalesce(lag(t.balance_after) over w, 0) + t.delta as expected_balance_after
      from public.credit_transactions t
    window w as (partition by t.customer_id order by t.id)
  ), bad as (
    select * from chained where balance_after <> expected_balance_after
  )
  select json_build_object('count', (select count(*) from bad),
           'rows', coalesce((select json_agg(b order by b.transaction_id)
                               from (select * from bad order by transaction_id limit v_limit) b), '[]'))
    into v_chain;

  with bad as (
    select g.id as generation_id, g.customer_id, g.status, g.credits_charged, g.provider, g.model,
           g.created_at,
           case when g.status in ('pending', 'processing') then 'still ' || g.status
                else g.status || ', not refunded' end as problem
      from public.generations g
     where g.credits_charged > 0
       and g.created_at < now() - p_stale_after
       and (g.status in ('pending', 'processing')
            or (g.status in ('failed', 'cancelled') and g.refunded_at is null
                and not exists (select 1 from public.credit_transactions r
                                 where r.type = 'refund' and r.ref_type = 'generation' and r.ref_id = g.id)))
  )
  select json_build_object('count', (select count(*) from bad),
           'credits', (select coalesce(sum(credits_charged), 0) from bad),
           -- Newest first: those are the ones support can still put right while the customer waits.
           'rows', coalesce((select json_agg(b order by b.created_at desc, b.generation_id)
                               from (select * from bad order by created_at desc, generation_id limit v_limit) b), '[]'))
    into v_unsettled;

  with held as (
    select b.customer_id, sum(b.remaining) as in_blocks from public.credit_blocks b group by b.customer_id
  ), bad as (
    select b.customer_id, b.credits, coalesce(h.in_blocks, 0) as in_blocks,
           b.credits - coalesce(h.in_blocks, 0) as difference
      from public.customer_balances b left join held h on h.customer_id = b.customer_id
     where b.credits <> coalesce(h.in_blocks, 0)
  )
  select json_build_object('count', (select count(*) from bad),
           'rows', coalesce((select json_agg(b order by abs(b.difference) desc, b.customer_id)
                               from (select * from bad order by abs(difference) desc, customer_id limit v_limit) b), '[]'))
    into v_block_balances;

  with drawn as (
    select d.block_id, sum(d.amount) as drawn from public.credit_block_draws d group by d.block_id
  ), bad as (
    select b.id as block_id, b.customer_id, b.original, b.remaining, coalesce(d.drawn, 0) as drawn
      from public.credit_blocks b left join drawn d on d.block_id = b.id
     where b.original - b.remaining <> coalesce(d.drawn, 0)
  )
  select json_build_object('count', (select count(*) from bad),
           'rows', coalesce((select json_agg(b order by b.block_id)
                               from (select * from bad order by block_id limit v_limit) b), '[]'))
    into v_block_draws;

  with bad as (
    select b.id as block_id, b.customer_id, b.kind, b.remaining, b.expires_at
      from public.credit_blocks b
     where b.remaining > 0 and b.expires_at <= now() - interval '15 minutes'
  )
  select json_build_object('count', (select count(*) from bad),
           'credits', (select coalesce(sum(remaining), 0) from bad),
           'rows', coalesce((select json_agg(b order by b.expires_at, b.block_id)
                               from (select * from bad order by expires_at, block_id limit v_limit) b), '[]'))
    into v_overdue;

  return json_build_object(
    'checked_at', now(),
    'stale_after', p_stale_after::text,
    'row_limit', v_limit,
    'balance_mismatches', v_balances,
    'broken_chain', v_chain,
    'unsettled_generations', v_unsettled,
    'block_balance_mismatches', v_block_balances,
    'block_draw_mismatches', v_block_draws,
    'overdue_blocks', v_overdue);
end $$;

-- Fresh planner statistics after a bulk load (the legacy import): the lists' totals start from
-- the planner's estimate (exact below 50,000 rows, src/providers/listCounts.ts).
create or replace function public.refresh_planner_statistics()
returns json language plpgsql volatile security definer set search_path = '' as $$
begin
  if not (private.has_role('admin') or private.is_service_role()) then
    perform private.raise_forbidden('Only an admin may refresh the planner statistics.');
  end if;
  analyze public.customers, public.sessions, public.generations, public.feedback,
    public.credit_transactions, public.admin_audit, public.admin_sessions;
  return json_build_object('analyzed_at', now());
end $$;
