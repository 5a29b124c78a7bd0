// Where requests go and over what: NameNode origins from the addresses a config may give, and the
// keep-alive agent with its timeouts and the CA that signed the NameNodes' certificates, query strings.

import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import { Agent } from "undici";
import { GsError } from "../../errors.ts";

export type Params = Record<string, string | undefined>;

export function newAgent(connections: number, timeoutMs: number, caFile?: string): Agent {
  return new Agent({
    connections,
    keepAliveTimeout: 10_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: {
      timeout: timeoutMs,
      ...(caFile ? { ca: readCa(caFile) } : {}),
    },
  });
}

export function namenodeOrigin(address: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
  const url = new URL(withScheme.replace(/^swebhdfs:/i, "https:").replace(/^webhdfs:/i, "http:"));
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new GsError("GS_CONFIG_INVALID", `NameNode address must be http(s): ${address}`, {
      input: address,
    });
  }
  return url.origin;
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new GsError("GS_CONFIG_READ", `cannot read [webhdfs] ca_file ${file}`, {
      location: file,
      cause: err,
    });
  }
}

/** `k=v&…` of the parameters that have a value, each value percent-encoded. */
export function query(params: Params): string {
  return Object.entries(params)
    .filter((kv): kv is [string, string] => kv[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");
}

// A walk's one signal rides on every in-flight request (64 by default), each adding an abort
// listener: that is expected, not the listener leak Node's warning at 11 is there to catch.
const raised = new WeakSet<AbortSignal>();
export function allowManyListeners(signal: AbortSignal): void {
  if (raised.has(signal)) return;
  setMaxListeners(0, signal);
  raised.add(signal);
}
