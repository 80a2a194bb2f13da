import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, inject, it } from 'vitest';

const baseUrl = inject('baseUrl');
const serverLog = inject('serverLog');

/** Sends raw bytes, for requests fetch() refuses to make; returns the status code. */
async function rawStatus(request: string): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname, () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('end', () => resolve(Number(data.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0)));
    socket.on('error', reject);
    setTimeout(() => socket.end(), 2000);
  });
}

describe('a malformed request never gets a 500', () => {
  it.each([
    ['/fr/%E0%A4%A', 400],
    ['/fr/guide/%00', 404],
    ['/xx/guide', 404],
    ['/fr/guide/does-not-exist', 404],
    ['/fr/' + 'a'.repeat(5000), 404],
    ['/fr/guide/search?q=' + '%FF'.repeat(50), 200],
    ['/fr/guide/search?q=' + 'x'.repeat(10000), 200],
    ['/api/deadlines?procedure[]=oqtf', 400],
    ['/api/offline?lang=../../etc', 400]
  ])('GET %s → %i', async (path, status) => {
    const response = await fetch(baseUrl + path, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(status);
  });

  it('answers an error page in her language with a way home and the emergency numbers', async () => {
    const response = await fetch(baseUrl + '/pcm/guide/nothing-here');
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('This page no dey');
    expect(html).toContain('href="/pcm"');
    expect(html).toMatch(/17.*112.*114/);
  });

  it('refuses odd methods and bodies without a 500', async () => {
    const junk = await fetch(baseUrl + '/en/deadlines/oqtf', {
      method: 'POST',
      headers: { origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: '%%%&&&==='.repeat(100)
    });
    expect(junk.status).toBeLessThan(500);
    const wrongType = await fetch(baseUrl + '/en/deadlines/oqtf', {
      method: 'POST',
      headers: { origin: baseUrl, 'content-type': 'application/json', accept: 'text/html' },
      body: '{"not": "a form"'
    });
    expect(wrongType.status).toBeLessThan(500);
    const put = await fetch(baseUrl + '/fr', { method: 'PUT', headers: { origin: baseUrl } });
    expect(put.status).toBeLessThan(500);
  });

  it('survives raw protocol garbage', async () => {
    expect(await rawStatus('GET /fr HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n')).toBe(400);
    expect(await rawStatus('GET /fr%ZZ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).toBe(400);
  });
});

describe('the access log', () => {
  it('records neither the address nor the query string of a request', async () => {
    const secret = `needle${Date.now()}`;
    await fetch(`${baseUrl}/fr/guide/search?q=${secret}`);
    await new Promise((r) => setTimeout(r, 200));
    const log = fs.readFileSync(serverLog, 'utf8');
    expect(log).toContain('path="/fr/guide/search"');
    expect(log).not.toContain(secret);
    expect(log).not.toMatch(/127\.0\.0\.1|::1|::ffff/);
  });
});
