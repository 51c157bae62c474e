import { describe, expect, it } from 'vitest';
import { mediaKind, webUrl } from './webUrl';

describe('webUrl', () => {
  it('keeps absolute http(s) addresses', () => {
    expect(webUrl('https://cdn.example.com/out/a.png')).toBe('https://cdn.example.com/out/a.png');
    expect(webUrl('  http://127.0.0.1:9000/a b.txt ')).toBe('http://127.0.0.1:9000/a%20b.txt');
  });

  it('refuses every other scheme, relative paths and disguised hosts', () => {
    for (const value of [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'blob:https://example.com/1',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '//evil.example/a.png',
      '/rest/v1/customers',
      'https://cdn.example.com@evil.example/a.png',
      'https://user:pw@cdn.example.com/a.png',
      '',
      null,
      42,
    ])
      expect(webUrl(value), String(value)).toBeNull();
  });
});

describe('mediaKind', () => {
  it('reads the short names the data stores and MIME types alike', () => {
    expect(
      ['image', 'video', 'text', 'image/png', 'Video/MP4', 'text/plain'].map(mediaKind),
    ).toEqual(['image', 'video', 'text', 'image', 'video', 'text']);
    expect(mediaKind('application/pdf')).toBeNull();
    expect(mediaKind(null)).toBeNull();
  });
});
