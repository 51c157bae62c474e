// URLs that come from data (provider outputs, customers' attachments) are untrusted: React only
// warns about `javascript:` in href, and a `data:` or `blob:` URL can carry a page of its own.
// So every URL from data that goes into src or href passes here first.

/** The URL if it is an absolute http(s) address without credentials in it, else null. */
export function webUrl(value: unknown): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  let url: URL;
  try {
    // No base: a relative value would resolve against the app's own origin.
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // user:password@ in front of a host is how a link disguises where it goes.
  if (url.username || url.password) return null;
  return url.href;
}

export type MediaKind = 'image' | 'video' | 'text' | null;

/** What an output is, from content_type as the data stores it: `image` or a MIME type. */
export function mediaKind(contentType: unknown): MediaKind {
  const major = String(contentType ?? '')
    .trim()
    .toLowerCase()
    .split('/')[0];
  return major === 'image' || major === 'video' || major === 'text' ? major : null;
}
