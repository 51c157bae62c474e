import { describe, expect, it } from 'vitest';
import { landingPageLoad } from './landingPage';

const page = (name: string) => Object.assign(() => null, { preload: async () => name });
const resources = {
  customers: {
    list: page('list'),
    show: page('show'),
    edit: page('edit'),
    create: page('create'),
  },
  staff: { list: () => null },
};
const dashboard = async () => 'dashboard';
const margin = async () => 'margin';
const pages = { '/': dashboard, '/margin': margin };

const loaded = async (hash: string) => landingPageLoad(hash, resources, pages)?.();

describe('landingPageLoad', () => {
  it('finds the page a hash route opens', async () => {
    expect(await loaded('')).toBe('dashboard');
    expect(await loaded('#/')).toBe('dashboard');
    expect(await loaded('#/customers')).toBe('list');
    expect(await loaded('#/customers?filter=%7B%7D&page=2')).toBe('list');
    expect(await loaded('#/customers/pass_0000042/show')).toBe('show');
    expect(await loaded('#/customers/pass_0000042')).toBe('edit');
    expect(await loaded('#/customers/create')).toBe('create');
    expect(await loaded('#/margin')).toBe('margin');
  });

  it('loads nothing where nothing lazy is there', () => {
    expect(landingPageLoad('#/staff', resources, pages)).toBeUndefined();
    expect(landingPageLoad('#/customers/42/unknown', resources, pages)).toBeUndefined();
    expect(landingPageLoad('#/no-such-page', resources, pages)).toBeUndefined();
  });
});
