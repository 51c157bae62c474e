import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';
import type { GenerationFilterChoices } from '@/providers/rpcTypes';

const none: GenerationFilterChoices = { providers: [], models: [], types: [] };

/** The providers, models and types that exist (generation_filter_choices), read once a while. */
export function useGenerationFilterChoices() {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const { data } = useQuery({
    queryKey: ['generation_filter_choices'],
    queryFn: () => dataProvider.generationFilterChoices(),
    staleTime: 10 * 60 * 1000,
  });
  return data ?? none;
}
