-- The customer search box. Under RLS, Postgres evaluates the policy before any qual that is
-- not LEAKPROOF, and ILIKE is not, so `or=(email.ilike.*q*, ...)` on the table can never use
-- the trigram indexes: at 200k customers every search was a sequential scan (~400 ms). This
-- function checks the caller's role itself, then searches as the table owner, where the
-- indexes apply; PostgREST still sorts, filters, pages and counts its result.
create index if not exists customers_first_name_trgm on public.customers using gin (first_name extensions.gin_trgm_ops);
create index if not exists customers_last_name_trgm on public.customers using gin (last_name extensions.gin_trgm_ops);

create or replace function public.search_customers(p_q text)
returns setof public.customers
language plpgsql stable security definer set search_path = '' rows 50 as $$
declare
  v_words text[];
  v_word text;
  v_pattern text;
  v_sql text := 'select c.* from public.customers c where true';
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only CreditDesk staff may search customers.');
  end if;
  if length(p_q) > 200 then
    perform private.raise_bad_input('Search for at most 200 characters, e.g. an email address or a pass id.');
  end if;
  -- Every word must match one of the searchable fields; LIKE's wildcards are taken literally.
  v_words := regexp_split_to_array(btrim(regexp_replace(coalesce(p_q, ''), '[[:cntrl:][:space:]]+', ' ', 'g')), ' ');
  foreach v_word in array v_words loop
    continue when v_word = '';
    v_pattern := '%' || replace(replace(replace(v_word, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    v_sql := v_sql || format(
      ' and (c.email ilike %1$L or c.id ilike %1$L or c.shopify_customer_id ilike %1$L'
      ' or c.display_name ilike %1$L or c.first_name ilike %1$L or c.last_name ilike %1$L)', v_pattern);
  end loop;
  return query execute v_sql;
end $$;

revoke all on function public.search_customers(text) from public, anon, service_role;
grant execute on function public.search_customers(text) to authenticated;
