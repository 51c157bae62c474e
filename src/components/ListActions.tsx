import { ExportButton, FilterButton, SelectColumnsButton, TopToolbar } from 'react-admin';

/** The toolbar of every list: add a filter, choose columns (laptop width), export CSV. */
export function ListActions() {
  return (
    <TopToolbar>
      <FilterButton />
      <SelectColumnsButton />
      <ExportButton />
    </TopToolbar>
  );
}
