// Which config file a command reads (--config, else $GRANTSYNC_CONFIG, else the system default),
// loaded with what the command will need checked up front, and named in hints so they run as printed.

import { type ConfigCheck, configOrThrow, readConfig } from "../config/load.ts";
import type { Config } from "../config/types.ts";
import { GsError, isGsError } from "../errors.ts";
import { loadKerberos } from "../targets/webhdfs/kerberos.ts";

export const DEFAULT_CONFIG_FILE = "/etc/grantsync/grantsync.ini";

export function configFileFor(given: string | undefined): { file: string; from: string } {
  if (given) return { file: given, from: "--config" };
  const env = process.env.GRANTSYNC_CONFIG;
  if (env) return { file: env, from: "$GRANTSYNC_CONFIG" };
  return { file: DEFAULT_CONFIG_FILE, from: "the default" };
}

/** The config, and the Kerberos addon loaded when it asks for Kerberos, so a missing one fails every command at once. */
export async function loadCliConfig(given: string | undefined): Promise<Config> {
  return configOrThrow(await readCliConfig(given));
}

/** The config checked completely (every problem, for validate), from the file the command names. */
export async function readCliConfig(given: string | undefined): Promise<ConfigCheck> {
  const { file, from } = configFileFor(given);
  let check: ConfigCheck;
  try {
    check = readConfig(file);
  } catch (err) {
    if (!isGsError(err, "GS_CONFIG_READ")) throw err;
    throw new GsError("GS_CONFIG_READ", `${err.message} (${from})`, {
      location: err.location ?? file,
      cause: err,
      hint: "Give --config FILE or set GRANTSYNC_CONFIG; config/grantsync.ini is an example to start from.",
    });
  }
  if (check.config?.webhdfs?.auth === "kerberos") await loadKerberos();
  return check;
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
