import { chromium } from 'playwright-core';
const [,, url, out, js] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync','--host-resolver-rules=MAP localhost 127.0.0.1'] });
const ctx = await b.newContext({ viewport: { width: 360, height: 1000 }, javaScriptEnabled: js === '1' });
const p = await ctx.newPage();
await p.goto(url);
await p.screenshot({ path: out });
await b.close();
