// Builds the console into dist/: esbuild bundles src/main.tsx (ES modules, code split so xterm.js and
// uPlot load only on the pages that use them) into content-hashed files under dist/assets/, and
// index.html names them. esbuild rather than Vite: it runs on the Node.js 18 of Debian 12, which
// `./crownest up` may install, and it is one dependency with no plugins.
import * as esbuild from 'esbuild';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/main.tsx'],
  bundle: true,
  splitting: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  outdir: 'dist/assets',
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === 'src/main.tsx');
const js = basename(entry[0]);
const css = entry[1].cssBundle ? basename(entry[1].cssBundle) : null;
const html = readFileSync(join(root, 'index.html'), 'utf8')
  .replace('<!--styles-->', css ? `<link rel="stylesheet" href="/assets/${css}" />` : '')
  .replace('<!--scripts-->', `<script type="module" src="/assets/${js}"></script>`);
writeFileSync(join(out, 'index.html'), html);
// a gzip copy beside each asset, which the gateway sends to clients that accept gzip
let zipped = 0;
for (const file of Object.keys(result.metafile.outputs)) {
  const gz = gzipSync(readFileSync(join(root, file)), { level: 9 });
  writeFileSync(join(root, `${file}.gz`), gz);
  zipped += gz.length;
}
const total = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`console: dist/ built, ${Object.keys(result.metafile.outputs).length} files, ${(total / 1024).toFixed(0)} KiB, ${(zipped / 1024).toFixed(0)} KiB gzipped`);
