import { AutocompleteInput, type AutocompleteInputProps } from 'react-admin';
import { useGenerationFilterChoices } from './useFilterChoices';

// Provider, model and type pick from the values that exist, so "WaveSpeed" finds wavespeed:
// the list's filter is `ilike` without wildcards, equality whatever the case.
type Props = Omit<AutocompleteInputProps, 'choices' | 'source'> & { source: string };

export function ProviderFilter(props: Props) {
  const { providers } = useGenerationFilterChoices();
  return (
    <AutocompleteInput
      label="Provider"
      choices={providers.map((p) => ({ id: p, name: p }))}
      sx={{ minWidth: 180 }}
      {...props}
    />
  );
}

export function ModelFilter(props: Props) {
  const { models } = useGenerationFilterChoices();
  return (
    <AutocompleteInput
      label="Model"
      choices={models.map((m) => ({ id: m.model, name: m.model, provider: m.provider }))}
      groupBy={(choice) => String(choice.provider)}
      sx={{ minWidth: 240 }}
      {...props}
    />
  );
}

export function TypeFilter(props: Props) {
  const { types } = useGenerationFilterChoices();
  return (
    <AutocompleteInput
      label="Type"
      choices={types.map((t) => ({ id: t.type_key, name: `${t.display_name} (${t.type_key})` }))}
      sx={{ minWidth: 220 }}
      {...props}
    />
  );
}
