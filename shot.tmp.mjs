import { chromium } from 'playwright-core';
const [,, url, out, w='360', h='640', full='0'] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync','--host-resolver-rules=MAP localhost 127.0.0.1'] });
const p = await b.newPage({ viewport: { width: +w, height: +h } });
await p.goto(url, { waitUntil: 'load' });
await p.screenshot({ path: out, fullPage: full === '1' });
await b.close();
