// Which config file a command reads (--config, else $GRANTSYNC_CONFIG, else the system default),
// and how hints name it so they run as printed; load-config.ts reads it. Loads nothing else: main
// names the file in every error's hint.

export const DEFAULT_CONFIG_FILE = "/etc/grantsync/grantsync.ini";

export function configFileFor(given: string | undefined): { file: string; from: string } {
  if (given) return { file: given, from: "--config" };
  const env = process.env.GRANTSYNC_CONFIG;
  if (env) return { file: env, from: "$GRANTSYNC_CONFIG" };
  return { file: DEFAULT_CONFIG_FILE, from: "the default" };
}

/** ` --config FILE` when the file is not the one a bare command reads; "" otherwise. */
export function configArg(file: string | undefined): string {
  if (file === undefined || file === DEFAULT_CONFIG_FILE) return "";
  return ` --config ${shellWord(file)}`;
}

/** Every `grantsync CMD …` (or `grantsync state CMD …`) quoted in a hint, given the config flag it needs to run as printed. */
export function withConfigArg(text: string, file: string | undefined): string {
  const arg = configArg(file);
  return arg === ""
    ? text
    : text.replace(/`grantsync ((?:state )?[a-z]+)/g, (_m, cmd: string) => `\`grantsync ${cmd}${arg}`);
}

function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

export const CONFIG_HELP = `grantsync config file (default: $GRANTSYNC_CONFIG, else ${DEFAULT_CONFIG_FILE})`;
