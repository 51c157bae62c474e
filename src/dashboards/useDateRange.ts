import { useSearchParams } from 'react-router-dom';
import { rangeFromSearch, searchFromRange, type DateRange } from './range';

/** The range in the URL, and a setter that keeps it there (so a link shares the view). */
export function useDateRange(): [DateRange, (next: DateRange) => void] {
  const [params, setParams] = useSearchParams();
  const range = rangeFromSearch(params);
  const setRange = (next: DateRange) =>
    setParams(searchFromRange(next, params), { replace: false });
  return [range, setRange];
}
