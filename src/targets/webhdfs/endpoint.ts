// Where requests go and over what: NameNode origins from the addresses a config may give, and the
// keep-alive agent with its timeouts and the CA that signed the NameNodes' certificates, query strings.

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

/** `&k=v…` of the parameters that have a value, each value percent-encoded ("" when none has one). */
export function query(params: Params): string {
  let q = "";
  for (const k in params) {
    const v = params[k];
    if (v !== undefined) q += `&${k}=${encodeURIComponent(v)}`;
  }
  return q;
}
