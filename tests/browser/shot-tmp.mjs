import { launch } from "./lib.mjs";
import { serve } from "./serve.mjs";
const [site, ...urls] = process.argv.slice(2);
const server = await serve(site);
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
let i = 0;
for (const u of urls) { await page.goto(server.url + u); await page.waitForTimeout(150); await page.screenshot({ path: `/tmp/shot-${i++}.png`, fullPage: true }); }
await browser.close(); server.close?.(); process.exit(0);
