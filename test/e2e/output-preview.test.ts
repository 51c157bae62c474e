// Generation outputs and feedback media in Chromium: each content type the data stores
// (image, video, text) is previewed from an http(s) server, and a URL from data that is not
// http(s) never reaches a src or href (issues 16.2 and 17.6).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage } from '../support/e2e/chromium';
import { serviceApi, signedIn } from '../support/e2e/app';

const e2e = inject('e2e');

// The smallest PNG there is: one transparent pixel.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A second of real WebM video, recorded by the same Chromium from a canvas. */
async function recordWebm(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const g = canvas.getContext('2d')!;
    const recorder = new MediaRecorder(canvas.captureStream(10), { mimeType: 'video/webm' });
    const parts: Blob[] = [];
    recorder.ondataavailable = (e) => parts.push(e.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    for (let i = 0; i < 10; i++) {
      g.fillStyle = `hsl(${i * 36}, 80%, 50%)`;
      g.fillRect(0, 0, 64, 48);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  return Buffer.from(base64, 'base64');
}

describe.skipIf(!e2e)('output preview and URLs from data', () => {
  const api = e2e ? serviceApi(e2e.apiUrl, e2e.serviceRoleKey) : null!;
  let browser: Browser;
  let page: Page;
  let files: http.Server;
  const ids: Record<string, string> = {};
  const stamp = Date.now().toString(36);

  async function insert(table: string, row: Record<string, unknown>) {
    const res = await fetch(`${e2e!.apiUrl}/rest/v1/${table}`, {
      method: 'POST',
      headers: {
        apikey: e2e!.serviceRoleKey,
        authorization: `Bearer ${e2e!.serviceRoleKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(row),
    });
    expect(res.status, `${table}: ${await res.clone().text()}`).toBe(201);
  }

  beforeAll(async () => {
    browser = await launch();
    const recorder = await browser.newPage();
    const webm = await recordWebm(recorder);
    await recorder.close();
    // The provider's storage: another origin, as a CDN is. Only open.txt allows this app (CORS).
    files = http.createServer((req, res) => {
      const body: Record<string, [string, Buffer | string, Record<string, string>?]> = {
        '/out.png': ['image/png', PNG],
        '/out.webm': ['video/webm', webm],
        '/open.txt': [
          'text/plain; charset=utf-8',
          '<b>Ten tips</b> for better sleep\n1. Keep a schedule',
          { 'access-control-allow-origin': '*' },
        ],
        '/locked.txt': ['text/plain', 'not for other origins'],
      };
      const hit = body[req.url ?? ''];
      if (!hit) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': hit[0], ...hit[2] }).end(hit[1]);
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;

    const [customer] = await api.rows<{ id: string }>('customers?select=id&order=id&limit=1');
    const outputs: Record<string, [string, string]> = {
      image: ['image', `${origin}/out.png`],
      video: ['video', `${origin}/out.webm`],
      text: ['text', `${origin}/open.txt`],
      locked: ['text', `${origin}/locked.txt`],
      script: ['text', 'javascript:alert(document.domain)'],
      svg: [
        'image',
        'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      ],
    };
    for (const [name, [contentType, url]] of Object.entries(outputs)) {
      ids[name] = `gen_e2e_${name}_${stamp}`;
      await insert('generations', {
        id: ids[name],
        customer_id: customer.id,
        type: `e2e_${contentType}`,
        provider: 'e2e-provider',
        model: 'e2e-model',
        status: 'succeeded',
        content_type: contentType,
        output_url: url,
        prompt: `e2e ${name} output`,
      });
    }
    ids.feedback = `fb_e2e_${stamp}`;
    await insert('feedback', {
      id: ids.feedback,
      customer_id: customer.id,
      comment: 'e2e: hostile attachment addresses',
      image_url: 'data:text/html,<script>alert(1)</script>',
      video_url: 'javascript:alert(1)',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => files?.close(resolve));
  });

  /** Support, signed in on a page of this test's own (failure artefacts are per test). */
  const signInAs = async (name: string) => {
    page = await newPage(browser, `output-preview-${name}`);
    await signedIn(page, e2e!.appUrl, 'support@creditdesk.dev');
  };
  const open = async (name: string) => {
    await page.goto(`${e2e!.appUrl}/#/generations/${ids[name]}/show`);
    await page.getByText(`e2e ${name} output`).waitFor();
  };

  it('shows an image output (content type "image") as the image itself', async () => {
    await signInAs('image');
    await open('image');
    const img = page.getByRole('img', { name: 'Generated output' });
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(1);
  });

  it('plays a video output with its controls', async () => {
    await signInAs('video');
    await open('video');
    const video = page.getByLabel('Generated video');
    expect(await video.evaluate((el) => el.tagName)).toBe('VIDEO');
    expect(await video.getAttribute('controls')).not.toBeNull();
    // Loaded metadata: the browser decoded the file, so the controls can play it.
    await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.videoWidth)).toBe(64);
  });

  it('shows a text output inline as text, and links to one its server keeps to itself', async () => {
    await signInAs('text');
    await open('text');
    const text = page.locator('pre', { hasText: 'Ten tips' });
    await text.waitFor();
    expect(await text.innerText()).toContain('<b>Ten tips</b> for better sleep');
    expect(await page.locator('b', { hasText: 'Ten tips' }).count()).toBe(0);

    await open('locked');
    const link = page.getByRole('link', { name: 'Open the output in a new tab' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/locked\.txt$/);
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('puts no output, image or video URL that is not http(s) into the page', async () => {
    const attributes = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[href], [src]')]
          .map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? '')
          .filter((v) => /^\s*(javascript|data|vbscript):/i.test(v)),
      );
    await signInAs('not-http');
    for (const name of ['script', 'svg']) {
      await open(name);
      await page.getByRole('note').waitFor();
      expect(await page.getByRole('note').innerText()).toContain('not a web address');
      expect(await attributes(), name).toEqual([]);
    }
    await page.goto(`${e2e!.appUrl}/#/feedback/${ids.feedback}/show`);
    await page.getByText('e2e: hostile attachment addresses').waitFor();
    await expect.poll(() => page.getByRole('note').count()).toBe(2);
    expect(await attributes()).toEqual([]);
  });
});
