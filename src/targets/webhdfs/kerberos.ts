// The GSSAPI side of SPNEGO for WebHDFS, through MIT krb5 (npm `kerberos`): where credentials
// come from (a keytab logged into a private in-memory ccache, or an existing ticket cache), the
// initiator token for HTTP/<namenode host>, and what the usual Kerberos failures mean.

import { accessSync, constants } from "node:fs";
import { GsError } from "../../errors.ts";

type KerberosModule = typeof import("kerberos");
export type GssContext = Awaited<ReturnType<KerberosModule["initializeClient"]>>;

let module: Promise<KerberosModule> | undefined;

/**
 * The addon is an optional dependency loaded on first use, so `auth = simple` never needs it and
 * an install without a compiler still works; commands call this up front with `auth = kerberos`.
 */
export function loadKerberos(): Promise<KerberosModule> {
  module ??= import("kerberos").then(
    (m) => ((m as { default?: KerberosModule }).default ?? m) as KerberosModule,
    (err: unknown) => {
      module = undefined;
      throw new GsError(
        "GS_KERBEROS_MISSING",
        "[webhdfs] auth = kerberos needs the Kerberos addon (npm `kerberos`), which is not installed or not built",
        { cause: err, input: err instanceof Error ? err.message.split("\n")[0] : String(err) },
      );
    },
  );
  return module;
}

export interface KerberosCredentials {
  /** The client principal (`grantsync@REALM`); with a keytab, the key to log in with. */
  principal?: string;
  /** Keytab to log in from; without it an existing ticket cache (KRB5CCNAME) is used. */
  keytab?: string;
}

let memoryCaches = 0;
/** The environment as the process started, for sessions that use the existing ticket cache. */
const startEnv = { KRB5CCNAME: process.env.KRB5CCNAME, KRB5_CLIENT_KTNAME: process.env.KRB5_CLIENT_KTNAME };
/** GSS initiations run one at a time process-wide, each in its session's environment. */
let gssQueue: Promise<unknown> = Promise.resolve();

export type KerberosEnv = Record<"KRB5CCNAME" | "KRB5_CLIENT_KTNAME", string | undefined>;

/**
 * Where MIT krb5 finds the credentials. With a keytab, a private MEMORY ccache per session and the
 * keytab as the client keytab: GSSAPI then gets a TGT from the keytab on first use and a fresh
 * one once the ticket is past half its life, so no kinit (or renewal job) is needed. Without, the
 * ticket cache KRB5CCNAME named when the process started. The library reads both from the
 * environment, so `initiate` sets them around each call.
 */
export function credentialsEnv(creds: KerberosCredentials): KerberosEnv {
  if (creds.keytab === undefined) return { ...startEnv };
  if (creds.principal === undefined) {
    throw new GsError("GS_CONFIG_INVALID", "[webhdfs] keytab needs principal (the key to log in with)", {
      input: creds.keytab,
    });
  }
  try {
    accessSync(creds.keytab, constants.R_OK);
  } catch (err) {
    throw new GsError("GS_WEBHDFS_AUTH", `cannot read [webhdfs] keytab ${creds.keytab}`, {
      location: creds.keytab,
      cause: err,
      hint: "The keytab must exist and be readable by grantsync (mode 0400, owner grantsync).",
    });
  }
  return {
    KRB5_CLIENT_KTNAME: `FILE:${creds.keytab}`,
    KRB5CCNAME: `MEMORY:grantsync-${process.pid}-${++memoryCaches}`,
  };
}

/** `HTTP@host`, the GSS host-based name of the NameNode's SPNEGO principal HTTP/host@REALM. */
export function serviceName(origin: string): string {
  return `HTTP@${new URL(origin).hostname.replace(/^\[|\]$/g, "")}`;
}

/** A new initiator context and its first token for the NameNode at `origin`. */
export async function initiate(
  origin: string,
  creds: KerberosCredentials,
  env: KerberosEnv,
): Promise<{ context: GssContext; token: string }> {
  const kerberos = await loadKerberos();
  const service = serviceName(origin);
  const run = async () => {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    const context = await kerberos.initializeClient(service, {
      ...(creds.principal ? { principal: creds.principal } : {}),
      mechOID: kerberos.GSS_MECH_OID_SPNEGO,
    });
    return { context, token: await context.step("") };
  };
  const result = gssQueue.then(run, run);
  gssQueue = result.catch(() => {});
  try {
    return await result;
  } catch (err) {
    throw explainGssFailure(err, service, creds);
  }
}

/** Turns a GSSAPI failure message into GS_WEBHDFS_AUTH with what to do about it. */
export function explainGssFailure(err: unknown, service: string, creds: KerberosCredentials): GsError {
  const text = err instanceof Error ? err.message : String(err);
  const who = creds.principal ?? "the default principal";
  const spn = `HTTP/${service.slice(service.indexOf("@") + 1)}`;
  const found = FAILURES.find((f) => f.match.test(text));
  const [what, hint] = found ? found.explain(who, spn, creds) : [UNKNOWN_GSS_FAILURE, undefined];
  return new GsError("GS_WEBHDFS_AUTH", `${what} (SPNEGO for ${spn}): ${oneLine(text)}`, {
    cause: err,
    ...(hint ? { hint } : {}),
  });
}

export const UNKNOWN_GSS_FAILURE = "Kerberos failure";

const FAILURES: {
  match: RegExp;
  explain: (who: string, spn: string, creds: KerberosCredentials) => [string, string];
}[] = [
  {
    match: /clock skew/i,
    explain: () => [
      "clock skew",
      "This host's clock differs from the KDC's by more than the allowed skew (5 min); run chrony or ntpd.",
    ],
  },
  {
    match: /Server .* not found in Kerberos database|unknown server|Server not found/i,
    explain: (_who, spn) => [
      "wrong service principal",
      `The KDC has no ${spn}: name the NameNodes by the host names of their HTTP/<host> principals (not IP addresses or aliases).`,
    ],
  },
  {
    match: /expired/i,
    explain: (who, _spn, creds) => [
      "expired credentials",
      creds.keytab
        ? `The keys of ${who} in ${creds.keytab} are out of date or the principal expired; export a fresh keytab.`
        : `The tickets of ${who} have expired; renew them (kinit) or configure [webhdfs] keytab.`,
    ],
  },
  {
    match: /Key table|keytab|No key table entry/i,
    explain: (who, _spn, creds) => [
      "keytab unusable",
      `Check that ${creds.keytab ?? "the keytab"} holds current keys of ${who} and is readable by grantsync.`,
    ],
  },
  {
    match: /Client .* not found in Kerberos database/i,
    explain: (who) => [
      "unknown client principal",
      `The KDC does not know ${who}; check [webhdfs] principal.`,
    ],
  },
  {
    match: /Preauthentication failed|Decrypt integrity check failed|Password incorrect/i,
    explain: (who, _spn, creds) => [
      "wrong key",
      `The keytab ${creds.keytab ?? ""} does not hold the current key of ${who}; export it again (kvno changed).`,
    ],
  },
  {
    match:
      /credentials cache|No credentials|cannot find mechanisms|No Kerberos credentials|Can't find client principal/i,
    explain: (who, _spn, creds) => [
      "no Kerberos credentials",
      creds.keytab
        ? `The keytab ${creds.keytab} has no key for ${who}; check [webhdfs] principal against \`klist -k\`.`
        : `No ticket for ${who}: set [webhdfs] principal and keytab, or kinit into the cache KRB5CCNAME names.`,
    ],
  },
  {
    match: /Cannot contact any KDC|Cannot find KDC|Connection refused/i,
    explain: () => [
      "KDC unreachable",
      "Check the KDCs of the realm in krb5.conf and that they are reachable.",
    ],
  },
];

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 300);
}
