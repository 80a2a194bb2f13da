import { readConfig, type Config } from './config';

let cached: Config | undefined;

/** The running app's configuration, read once from the environment. */
export function appConfig(): Config {
  cached ??= readConfig();
  return cached;
}
