-- The append-only audit trail: the table, the one function that writes a row from the
-- request context, and the generic row-change trigger each audited table attaches in its own
-- file (customers, feedback, generation_types, staff, runtime_config, app_config).
-- Written only by triggers and SECURITY DEFINER functions.

create table public.admin_audit (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id uuid,
  actor_email text,
  action text not null,
  table_name text,
  record_id text,
  method text,
  route text,
  status text not null default 'ok',
  details jsonb not null default '{}'::jsonb,
  ip text,
  user_agent text,
  created_at timestamptz not null default now()
);

create index admin_audit_at_idx on public.admin_audit (at desc, id desc);
create index admin_audit_actor_idx on public.admin_audit (actor_id, at desc);
create index admin_audit_record_idx on public.admin_audit (table_name, record_id, at desc);
create index admin_audit_action_idx on public.admin_audit (action, at desc);

create trigger admin_audit_immutable
  before update or delete on public.admin_audit
  for each row execute function private.refuse_ledger_change();
create trigger admin_audit_no_truncate
  before truncate on public.admin_audit
  for each statement execute function private.refuse_ledger_change();

-- One place builds an audit row from the request context, so triggers and ledger functions
-- record actor, route, ip and user agent the same way.
create or replace function private.write_audit(
  p_action text, p_table text, p_record_id text, p_details jsonb
) returns bigint language plpgsql security definer set search_path = '' as $$
declare
  v_claims jsonb := (select auth.jwt());
  v_id bigint;
begin
  insert into public.admin_audit (actor_id, actor_email, action, table_name, record_id,
                                  method, route, details, ip, user_agent)
  values ((select auth.uid()),
          coalesce(v_claims ->> 'email', case when v_claims ->> 'role' = 'service_role' then 'service_role' end),
          p_action, p_table, p_record_id,
          nullif(current_setting('request.method', true), ''),
          nullif(current_setting('request.path', true), ''),
          coalesce(p_details, '{}'::jsonb),
          private.request_ip(),
          left(private.request_header('user-agent'), 500))
  returning id into v_id;
  return v_id;
end $$;

-- The changed fields only, as {field: {before, after}}; noise columns are left out so a
-- last_active bump by the product is not an audit event.
create or replace function private.jsonb_changes(p_old jsonb, p_new jsonb)
returns jsonb language sql immutable set search_path = '' as $$
  select coalesce(jsonb_object_agg(k, jsonb_build_object('before', p_old -> k, 'after', p_new -> k)), '{}'::jsonb)
  from (select jsonb_object_keys(coalesce(p_old, '{}'::jsonb) || coalesce(p_new, '{}'::jsonb)) as k) keys
  where k not in ('updated_at', 'last_active', 'version', 'updated_by', 'verified_any')
    and (p_old -> k) is distinct from (p_new -> k)
$$;

-- Privileged changes carry a reason (a price, a staff role, a staff account disabled). The
-- RPC that makes such a change checks the reason (private.check_reason), sets it as
-- creditdesk.change_reason for the one UPDATE it runs, and clears it again; the row audit
-- below keeps it beside the changes. Like creditdesk.ledger_write, a client cannot set it:
-- PostgREST sets only its own request.* settings, and private is not exposed.

-- A guard each such table attaches, BEFORE UPDATE with a WHEN naming the guarded columns
-- (or BEFORE INSERT / DELETE, for a row whose very existence is the privilege): the write
-- refuses with what to call instead (TG_ARGV[0], TG_ARGV[1] the hint), so the change and its
-- reason cannot be separated. The grants stay, so a client gets this message rather than a
-- bare "permission denied". The service role (the product's backend, which bypasses RLS
-- too) is not asked.
create or replace function private.require_change_reason()
returns trigger language plpgsql set search_path = '' as $$
begin
  if coalesce(current_setting('creditdesk.change_reason', true), '') = ''
     and not private.is_service_role() then
    perform private.raise_bad_input(tg_argv[0], tg_argv[1]);
  end if;
  -- A BEFORE DELETE trigger that returns null (NEW, on a delete) skips the row silently.
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end $$;

-- Generic row audit. TG_ARGV[0] names the table in actions (`customers` -> customers.update),
-- TG_ARGV[1] the key column; the reason of a privileged change, when one was given, is kept
-- beside the changes. Ledger functions set creditdesk.skip_row_audit because they write one
-- richer audit row of their own.
create or replace function private.audit_row_change()
returns trigger language plpgsql security definer set search_path = '' as $$
declare
  v_old jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  v_new jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  v_reason text := nullif(current_setting('creditdesk.change_reason', true), '');
  v_changes jsonb;
  v_details jsonb;
begin
  if coalesce(current_setting('creditdesk.skip_row_audit', true), '') = 'on' then
    return null;
  end if;
  v_changes := private.jsonb_changes(v_old, v_new);
  if tg_op = 'UPDATE' and v_changes = '{}'::jsonb then
    return null;
  end if;
  v_details := jsonb_build_object('changes', v_changes);
  if v_reason is not null then
    v_details := v_details || jsonb_build_object('reason', v_reason);
  end if;
  perform private.write_audit(
    tg_argv[0] || '.' || lower(tg_op), tg_argv[0],
    coalesce(v_new, v_old) ->> tg_argv[1], v_details);
  return null;
end $$;
