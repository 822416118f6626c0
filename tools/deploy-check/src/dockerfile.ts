import { readFileSync } from 'node:fs';
import { validate } from 'dockerfile-utils';
import type { Problem } from './problems';

export interface DockerfileFacts {
  /** Directories of the build stage's dist/ copied into the runtime image, `${APP}` unexpanded. */
  runtimeDistCopies: string[];
}

interface Stage {
  name: string;
  from: string;
  instructions: Array<{ keyword: string; args: string; line: number }>;
}

/** Splits a Dockerfile into stages of instructions (continuation lines joined, comments dropped). */
export function parseStages(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const start = index;
    let line = lines[index] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && index + 1 < lines.length) {
      index++;
      const next = lines[index] ?? '';
      if (/^\s*#/.test(next)) continue;
      line = line.replace(/\\\s*$/, ' ') + next.trim();
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').trim();
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      stages.push({ name: from?.[2] ?? `stage${stages.length}`, from: from?.[1] ?? '', instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword, args, line: start + 1 });
    }
  }
  return stages;
}

/**
 * deploy/docker/Dockerfile: the Dockerfile language service's validator (npm "dockerfile-utils", the
 * linter behind the VS Code Docker extension) plus the properties the issue asks for.
 */
export function checkDockerfile(file: string, workspaceRoot: string, problems: Problem[]): DockerfileFacts {
  const result = checkDockerfileText(file, readFileSync(`${workspaceRoot}/${file}`, 'utf8'), problems);
  return result.facts;
}

export function checkDockerfileText(file: string, text: string, problems: Problem[]): { facts: DockerfileFacts; problems: Problem[] } {
  const report = (message: string, line?: number) => problems.push({ source: file, path: line ? `line ${line}` : undefined, message });
  for (const diagnostic of validate(text)) report(`dockerfile-utils: ${diagnostic.message}`, diagnostic.range.start.line + 1);

  const stages = parseStages(text);
  const facts: DockerfileFacts = { runtimeDistCopies: [] };
  // The last stage is what `docker build` produces without --target: it must be the runtime image.
  const final = stages.at(-1);
  if (!final || final.name !== 'runtime') {
    report('the last stage (the default build target) must be the one named "runtime"');
    return { facts, problems };
  }
  const has = (keyword: string, pattern: RegExp, stage: Stage = final) => stage.instructions.some((item) => item.keyword === keyword && pattern.test(item.args));
  if (!has('ARG', /^APP\b/)) report('the runtime stage must declare ARG APP');
  if (!has('ENV', /NODE_ENV=production/)) report('NODE_ENV=production missing in the runtime stage');
  const user = final.instructions.filter((item) => item.keyword === 'USER').at(-1);
  if (!user || /^(0|root)(:|$)/.test(user.args) || !/^[0-9]+(:[0-9]+)?$/.test(user.args)) report('the runtime stage must end as a numeric non-root USER');
  const entrypoint = final.instructions.filter((item) => item.keyword === 'ENTRYPOINT').at(-1);
  // node either directly or through `sh -c "exec node …"` (which expands GISBI_NODE_ARGS and is replaced by node).
  const runsNode = /"node", "--enable-source-maps"|"exec node --enable-source-maps /.test(entrypoint?.args ?? '');
  if (!entrypoint || !/tini|dumb-init/.test(entrypoint.args) || !runsNode || !entrypoint.args.startsWith('[')) {
    report('ENTRYPOINT must be exec-form, run node under tini (or dumb-init) with --enable-source-maps');
  }
  for (const item of final.instructions.filter((candidate) => candidate.keyword === 'COPY')) {
    const from = /--from=(\S+)/.exec(item.args)?.[1];
    const [sourcePath] = item.args.replace(/--\S+/g, '').trim().split(/\s+/);
    if (!from) report('the runtime stage copies from the build context: only build outputs may enter the image', item.line);
    else if (sourcePath?.endsWith('/node_modules') && stages.find((stage) => stage.name === from)?.instructions.some((candidate) => /pnpm install .*--prod/.test(candidate.args)) !== true) {
      report(`node_modules come from stage "${from}", which is not a production-only install`, item.line);
    } else if (sourcePath && /\/dist\//.test(sourcePath)) facts.runtimeDistCopies.push(sourcePath.replace(/^.*?\/dist\//, 'dist/'));
  }
  if (!final.instructions.some((item) => item.keyword === 'COPY' && /node_modules/.test(item.args))) report('the runtime stage has no node_modules');
  const ciCommands = stages.flatMap((stage) => stage.instructions).map((item) => item.args);
  if (!ciCommands.some((args) => /pnpm install --frozen-lockfile(?! --prod)/.test(args))) report('the build stage must install with `pnpm install --frozen-lockfile` like CI');
  if (!ciCommands.some((args) => /node tools\/scripts\/build\.mjs/.test(args))) report('the build stage must build with `node tools/scripts/build.mjs` like CI');
  return { facts, problems };
}
