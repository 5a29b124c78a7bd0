// The config file a command names, read and checked with what the command will need up front (the
// Kerberos addon when it asks for Kerberos), its read errors saying where the name came from.

import { type ConfigCheck, configOrThrow, readConfig } from "../config/load.ts";
import type { Config } from "../config/types.ts";
import { GsError, isGsError } from "../errors.ts";
import { configFileFor } from "./config-file.ts";

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
  // Its loader lives with the WebHDFS target, which a POSIX run does not load.
  if (check.config?.webhdfs?.auth === "kerberos")
    await (await import("../targets/webhdfs/kerberos.ts")).loadKerberos();
  return check;
}
