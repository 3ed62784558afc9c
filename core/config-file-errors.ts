import { lstatSync, readlinkSync } from 'node:fs';
import { ConfigError } from './errors.js';

/** A file-system error while reading a config (cosmiconfig passes them on as they are) in words; anything else as it was. */
export function rethrowUnreadable(error: unknown): never {
  const errno = error as NodeJS.ErrnoException;
  if (typeof errno?.code === 'string' && typeof errno.path === 'string') throw unreadableConfigError(errno.path, errno);
  throw error;
}

/** Why `filepath` cannot be read, as a ConfigError: `existsSync` says "not found" for a symbolic link loop too. */
export function unreadableConfigError(filepath: string, error: NodeJS.ErrnoException): ConfigError {
  switch (error.code) {
    case 'ELOOP':
      return new ConfigError(
        `${filepath} is a symbolic link loop (ELOOP): its links lead back to themselves, so there is no file to read. Point the link at the config file, or pass the file's own path.`,
        [],
        filepath,
      );
    case 'ENOENT':
    case 'ENOTDIR': {
      const target = danglingLinkTarget(filepath);
      if (target !== undefined) return new ConfigError(`${filepath} is a symbolic link to ${target}, which does not exist. Fix the link or check the --config path.`, [], filepath);
      return new ConfigError(`Config file not found: ${filepath}. Check the --config path.`, [], filepath);
    }
    case 'EACCES':
    case 'EPERM':
      return new ConfigError(`${filepath} cannot be read: permission denied (${error.code}). Make it readable by this user.`, [], filepath);
    default:
      return new ConfigError(`${filepath} cannot be read: ${error.message}.`, [], filepath);
  }
}

function danglingLinkTarget(filepath: string): string | undefined {
  try {
    return lstatSync(filepath).isSymbolicLink() ? readlinkSync(filepath) : undefined;
  } catch {
    return undefined;
  }
}
