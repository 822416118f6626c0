import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { isRecord, type Problem } from './problems';
import { APPS } from './rules';

/**
 * What the runtime image holds is enough to run each app: following every require() from
 * dist/apps/<app>/src/main.js, relative imports stay inside the dist/ directories the Dockerfile copies
 * and package imports are root `dependencies` (the production install), never devDependencies.
 * Needs dist/ (tools/scripts/build.mjs); the integration test run builds it first.
 */
export function checkImageClosure(workspaceRoot: string, runtimeDistCopies: string[], problems: Problem[]): void {
  const packageJson: unknown = JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
  const dependencies = new Set(Object.keys(isRecord(packageJson) && isRecord(packageJson['dependencies']) ? packageJson['dependencies'] : {}));
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  for (const app of APPS) {
    const source = `image gisbi/${app.name}`;
    const allowed = runtimeDistCopies.map((copy) => path.join(workspaceRoot, copy.replace('${APP}', app.name)));
    const entry = path.join(workspaceRoot, 'dist', 'apps', app.name, 'src', 'main.js');
    if (!existsSync(entry)) {
      problems.push({ source, message: `${path.relative(workspaceRoot, entry)} not built (run tools/scripts/build.mjs)` });
      continue;
    }
    const seen = new Set<string>();
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.pop() ?? '';
      if (seen.has(file)) continue;
      seen.add(file);
      const relative = path.relative(workspaceRoot, file);
      if (!allowed.some((directory) => file.startsWith(directory + path.sep))) {
        problems.push({ source, path: relative, message: 'is required at run time but the Dockerfile does not copy it into the image' });
        continue;
      }
      for (const match of readFileSync(file, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)) {
        const specifier = match[1] ?? '';
        if (specifier.startsWith('.')) {
          const target = resolveFile(path.resolve(path.dirname(file), specifier));
          if (target) queue.push(target);
          else problems.push({ source, path: relative, message: `cannot resolve ${specifier}` });
        } else if (!builtins.has(specifier)) {
          const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
          if (!dependencies.has(name)) problems.push({ source, path: relative, message: `imports ${name}, which is not a production dependency` });
        }
      }
    }
  }
}

function resolveFile(candidate: string): string | undefined {
  for (const file of [candidate, `${candidate}.js`, path.join(candidate, 'index.js')]) {
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}
