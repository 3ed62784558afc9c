import { isAbsolute, relative } from 'node:path';
import { readConfigFile } from '../core/config.js';
import { checkConfig } from '../core/create-hyper-agent.js';
import type { CliCommand } from './main.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function shownPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** `hyperagent validate`: every problem in the config, from the schema to the modules it names. */
export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Check the config: schema, backend names, provider and plugin modules, their options.',
  usage: 'hyperagent validate [--config PATH]',
  help: '  -c, --config PATH  the config file (default: hyperagent.config.json, .hyperagentrc[.json] or\n                     package.json#hyperagent, searched from here up to the project root)',
  options: { config: { type: 'string', short: 'c' } },
  async run({ values }, io) {
    const file = await readConfigFile({ configPath: values.config as string | undefined, cwd: io.cwd });
    const problems = await checkConfig({ config: file.raw, filepath: file.filepath, configDir: file.configDir });
    const shown = shownPath(file.filepath, io.cwd);
    const { style } = io;
    if (problems.length === 0) {
      const raw = file.raw as { backends?: object; plugins?: unknown[] };
      const counts = `${plural(Object.keys(raw.backends ?? {}).length, 'backend')}, ${plural(raw.plugins?.length ?? 0, 'plugin')}`;
      io.stdout.write(`${style.green('✔')} ${shown} is valid (${counts})\n`);
      return 0;
    }
    for (const problem of problems) io.stdout.write(`${style.dim(`${shown}:`)} ${style.bold(problem.path || '/')}: ${problem.message}\n`);
    io.stdout.write(`${style.red('✖')} ${plural(problems.length, 'problem')} in ${shown}\n`);
    return 1;
  },
};
