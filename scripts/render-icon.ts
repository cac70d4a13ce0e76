/**
 * Renders assets/icon.svg to the PNGs electron-builder uses (assets/icon.png 512×512 and
 * assets/icon-256.png), with playwright-core and the system Chromium (no browser download).
 *
 *   node --import tsx scripts/render-icon.ts
 *
 * Chromium: /usr/bin/chromium (`apt-get install -y chromium`), or set CHROMIUM=/path/to/it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..');
const SVG = path.join(ROOT, 'assets', 'icon.svg');
const OUTPUTS: Array<{ size: number; file: string }> = [
  { size: 512, file: path.join(ROOT, 'assets', 'icon.png') },
  { size: 256, file: path.join(ROOT, 'assets', 'icon-256.png') },
];

async function main(): Promise<void> {
  const svg = readFileSync(SVG, 'utf8');
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    for (const { size, file } of OUTPUTS) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">` +
          `<img id="icon" src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.waitForFunction(() => (document.getElementById('icon') as HTMLImageElement | null)?.complete === true);
      await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      await page.close();
      console.log(`${path.relative(ROOT, file)}: ${size}×${size}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
