-- database_advisor flagged customers (id, credits) → customer_balances (20261204100000) as an
-- unindexed foreign key. customers' primary key on id finds the one referencing row, and an
-- index with credits would cost every balance change its HOT update: a unique index on some of
-- a key's columns now counts as serving it. The rest of the body is unchanged.

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
