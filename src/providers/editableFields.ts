// What staff may write per table, mirroring the column grants in the migrations. Sending
// only these keeps a save from failing on a column the database refuses (credits, id...).
export const editableFields: Record<string, readonly string[]> = {
  customers: [
    'email',
    'first_name',
    'last_name',
    'display_name',
    'locale',
    'timezone',
    'marketing_opt_in',
    'product_updates_opt_in',
    'topup_default_packs',
    'auto_topup_enabled',
    'auto_topup_monthly_limit_packs',
    'meta',
  ],
  feedback: ['status', 'admin_note'],
  generation_types: ['type_key', 'display_name', 'cost_credits', 'active'],
  // expected_version is the version the editor read: the database refuses the save when it
  // moved, and refuses a save that does not say.
  runtime_config: ['key', 'value', 'description', 'expected_version'],
  app_config: ['key', 'value', 'description', 'expected_version'],
  staff: ['role', 'disabled'],
};

export function pickEditable(resource: string, data: Record<string, unknown>) {
  const fields = editableFields[resource];
  if (!fields) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => fields.includes(key)));
}
