// Runs the README's TypeScript examples (sdk/examples/*.mjs) as written, and the seeds' examples
// (sdk/examples/seeds/00[0-2]*.mjs) after the substitutions of substitutions.json alone, each one
// printed. An example passes when it exits 0 and prints its .out file's lines.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stackEnv } from './stack.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const SEEDS = join(EXAMPLES, 'seeds');
// inside the package, so `import '@crownest/sdk'` resolves to this checkout (package self-reference)
const RUN_DIR = fileURLToPath(new URL('../.run/', import.meta.url));
const { substitutions } = JSON.parse(readFileSync(join(EXAMPLES, 'substitutions.json'), 'utf8'));
stackEnv();

/** The seed's text with the listed substitutions; each one applied is reported. */
export function substitute(text, report) {
  for (const s of substitutions) {
    const n = text.split(s.from).length - 1;
    if (n > 0) {
      text = text.split(s.from).join(s.to);
      report(`substituted ${n}x ${JSON.stringify(s.from)} -> ${JSON.stringify(s.to)} (${s.why})`);
    }
  }
  return text;
}

function runExample(dir, file, text) {
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  if (existsSync(join(dir, 'fixtures'))) for (const f of readdirSync(join(dir, 'fixtures'))) copyFileSync(join(dir, 'fixtures', f), join(RUN_DIR, f));
  writeFileSync(join(RUN_DIR, file), text);
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { cwd: RUN_DIR, env: process.env, timeout: 240_000 }, (error, stdout, stderr) => resolve({ code: error ? error.code ?? 1 : 0, stdout, stderr }));
  });
}

function expectOutput(dir, file, r) {
  assert.equal(r.code, 0, r.stderr);
  const expected = join(dir, `${file}.out`);
  if (existsSync(expected)) assert.equal(r.stdout, readFileSync(expected, 'utf8'));
}

describe('README examples, as written', () => {
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.mjs'))) {
    test(file, async () => {
      const text = readFileSync(join(EXAMPLES, file), 'utf8');
      const readme = readFileSync(join(EXAMPLES, '../../README.md'), 'utf8');
      assert.ok(readme.includes(text.trim()), `README.md shows ${file} as it is`);
      expectOutput(EXAMPLES, file, await runExample(EXAMPLES, file, text));
    });
  }
});

describe('seed examples, through the harness', () => {
  const seeds = existsSync(SEEDS) ? readdirSync(SEEDS).filter((f) => /^00[0-2].*\.mjs$/.test(f)) : [];
  if (!seeds.length) test('seeds 000-002', (t) => t.skip('the seeds\' texts are not in sdk/examples/seeds yet (see its README)'));
  for (const file of seeds) {
    test(file, async (t) => {
      const text = substitute(readFileSync(join(SEEDS, file), 'utf8'), (line) => t.diagnostic(line));
      expectOutput(SEEDS, file, await runExample(SEEDS, file, text));
    });
  }
});
