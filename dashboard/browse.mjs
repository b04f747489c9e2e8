// Visits dashboard pages in headless Debian Chromium (playwright-core), saves a PNG of each and prints, as JSON,
// what each page shows: its title, its metrics (label -> value), its tables (rows of cell texts), its text.
// Used by tests/test_dashboard.py:  node dashboard/browse.mjs BASE_URL OUT_DIR NAME=URL_PATH [NAME=URL_PATH ...]
// (an empty URL_PATH is the default page; NAME names the PNG and the entry of the JSON).
import { chromium } from "playwright-core";
import path from "node:path";

const [base, outDir, ...pages] = process.argv.slice(2);
if (!base || !outDir || pages.length === 0) {
  console.error("usage: node browse.mjs BASE_URL OUT_DIR NAME=URL_PATH [NAME=URL_PATH ...]");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// No network but loopback here: keep Chromium from calling home (each refused connection costs time).
const args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

async function settle(page) {
  // Streamlit marks its root with the script's state; wait until the page's run has finished, then for every
  // Vega-Lite chart to have drawn and the fonts to be in, so the screenshot shows the page as a person sees it.
  await page.waitForSelector('[data-testid="stApp"][data-test-script-state="notRunning"]', { timeout: 60000 });
  await page.waitForSelector('[data-testid="stMain"] h1', { timeout: 30000 });
  // Elements whose code is loaded on first use (metrics, tables, charts) show a skeleton until it is in.
  await page.waitForFunction(() => !document.querySelector(
    '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]'),
  null, { timeout: 60000 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .every((c) => c.querySelector("canvas, svg")), null, { timeout: 30000 });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(400);
}

function shown() {
  const text = (el) => (el ? el.innerText.trim() : "");
  const metrics = {};
  for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
    metrics[text(m.querySelector('[data-testid="stMetricLabel"]'))] = text(m.querySelector('[data-testid="stMetricValue"]'));
  }
  const tables = [...document.querySelectorAll('[data-testid="stTable"] table')].map((t) =>
    [...t.querySelectorAll("tr")].map((r) => [...r.querySelectorAll("th, td")].map((c) => c.innerText.trim())));
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    title: text(main.querySelector("h1")),
    metrics,
    tables,
    charts: document.querySelectorAll('[data-testid="stVegaLiteChart"]').length,
    text: text(main),
  };
}

const browser = await chromium.launch({ executablePath, headless: true, args });
const result = {};
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  for (const spec of pages) {
    const [name, urlPath = name] = spec.split("=");
    const started = Date.now();
    await page.goto(`${base}/${urlPath}`, { waitUntil: "domcontentloaded" });
    await settle(page);
    // Streamlit scrolls inside its main block: grow the viewport to the content so one PNG holds the whole page.
    const height = await page.evaluate(() => {
      const main = document.querySelector('[data-testid="stMain"]');
      return Math.ceil(Math.max(main.scrollHeight, document.body.scrollHeight));
    });
    await page.setViewportSize({ width: 1440, height: Math.min(Math.max(height + 40, 900), 6000) });
    await settle(page);
    console.error(`${name}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
    const file = path.join(outDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    result[name] = { screenshot: file, url: page.url(), ...(await page.evaluate(shown)) };
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result, null, 1) + "\n");
