/** Link targets of react-admin's show pages; ids may hold characters a path cannot. */
export const customerPath = (id: string) => `/customers/${encodeURIComponent(id)}/show`;
export const generationPath = (id: string) => `/generations/${encodeURIComponent(id)}/show`;
