// Compiles every app, lib and tool into dist/ with swc (a few seconds for the whole workspace),
// rewriting the @gisbi/* path aliases to relative imports so `node dist/apps/<app>/src/main.js` runs.
// Type checking is `pnpm typecheck`; this step only transpiles.
import { createRequire } from 'node:module';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

const require = createRequire(import.meta.url);
const swc = require('@swc/core');
const { swcOptions, workspaceRoot } = require('./swc-options.cjs');

const quiet = process.argv.includes('--quiet');
const roots = ['apps', 'libs', 'tools'];
const skip = /(\.spec|\.integration-spec|\.e2e-spec|\.d)\.ts$/;

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (entry.name.endsWith('.ts') && !skip.test(entry.name)) yield full;
  }
}

// Files are replaced atomically and only when changed, so processes already running from dist/ (a
// dev stack, another test run) never load a half-written module.
async function writeIfChanged(file, content) {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === content) return;
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

const started = Date.now();
const outRoot = path.join(workspaceRoot, 'dist');
let count = 0;
const jobs = [];
for (const root of roots) {
  for await (const file of sources(path.join(workspaceRoot, root))) {
    const rel = path.relative(workspaceRoot, file);
    const out = path.join(outRoot, rel.replace(/\.ts$/, '.js'));
    jobs.push(
      (async () => {
        const result = await swc.transformFile(file, { ...swcOptions(), filename: file, outputPath: out, swcrc: false });
        await mkdir(path.dirname(out), { recursive: true });
        await writeIfChanged(out, result.code + `\n//# sourceMappingURL=${path.basename(out)}.map\n`);
        if (result.map) await writeIfChanged(out + '.map', result.map);
      })(),
    );
    count++;
  }
}
await Promise.all(jobs);
if (!quiet) console.log(`build: compiled ${count} files into dist/ in ${Date.now() - started} ms`);
