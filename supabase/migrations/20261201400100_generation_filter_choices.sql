-- The generation list's provider, model and type filters offer the values that exist, not
-- free text that must match exactly. Providers and models come from the daily rollup and its
-- unfolded deltas (a few thousand rows however many generations there are), types from the price list; the rollup
-- is not readable by the API roles, so this function checks the caller is staff itself.
create or replace function public.generation_filter_choices()
returns json language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.is_staff() then
    perform private.raise_forbidden('Only CreditDesk staff may read the generation filters.');
  end if;
  return json_build_object(
    'providers', (
      select coalesce(json_agg(provider order by provider), '[]'::json)
        from (select provider from public.generation_daily_stats where provider <> ''
              union select provider from public.generation_daily_deltas where provider <> '') p),
    'models', (
      select coalesce(json_agg(json_build_object('provider', provider, 'model', model)
                               order by provider, model), '[]'::json)
        from (select provider, model from public.generation_daily_stats where model <> ''
              union select provider, model from public.generation_daily_deltas where model <> '') m),
    'types', (
      select coalesce(json_agg(json_build_object('type_key', type_key, 'display_name', display_name)
                               order by type_key), '[]'::json)
        from public.generation_types));
end $$;

revoke all on function public.generation_filter_choices() from public, anon, authenticated, service_role;
grant execute on function public.generation_filter_choices() to authenticated;
