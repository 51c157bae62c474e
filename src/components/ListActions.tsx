import { FilterButton, SelectColumnsButton, TopToolbar } from 'react-admin';
import { ExportAllButton } from './ExportAllButton';

/**
 * The toolbar of every list: add a filter, choose columns (for lists that offer more than
 * fit a laptop), export every row as CSV. It wraps rather than leave a button off-screen.
 */
export function ListActions({ columns = true, filters = true }) {
  return (
    <TopToolbar sx={{ flexWrap: 'wrap', minHeight: 'auto' }}>
      {filters && <FilterButton />}
      {columns && <SelectColumnsButton />}
      <ExportAllButton />
    </TopToolbar>
  );
}
