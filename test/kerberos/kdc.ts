// A throw-away MIT Kerberos realm for tests: krb5kdc on a free loopback port, its database,
// principals and keytabs in a temp dir, selected only through environment variables (KRB5_CONFIG,
// KRB5_KDC_PROFILE, KRB5RCACHEDIR), so nothing system-wide is read or left behind.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const REALM = "GRANTSYNC.TEST";

const TOOLS = ["/usr/sbin/krb5kdc", "/usr/sbin/kdb5_util", "/usr/sbin/kadmin.local"];

/** Why the Kerberos tests cannot run here, or undefined when they can. */
export function kdcMissing(): string | undefined {
  const absent = TOOLS.filter((t) => !existsSync(t));
  if (absent.length > 0) {
    return `MIT Kerberos KDC not installed (${absent.join(", ")} missing): apt-get install krb5-kdc krb5-admin-server krb5-user libkrb5-dev (.ci/run does)`;
  }
  return undefined;
}

export interface Kdc {
  realm: string;
  dir: string;
  port: number;
  /** The variables pointing MIT krb5 at this realm; already set on process.env. */
  env: Record<string, string>;
  addPrincipal(name: string): void;
  /** Writes a keytab (mode 0400) with the keys of `principals`, returns its path. */
  keytab(file: string, ...principals: string[]): string;
  kadmin(query: string): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts a KDC for REALM and points this process (and its children) at it. `maxLifeSeconds` caps
 * ticket lifetimes, for tests of expiry.
 */
export async function startKdc(opts: { maxLifeSeconds?: number } = {}): Promise<Kdc> {
  const dir = mkdtempSync(join(tmpdir(), "gs-kdc-"));
  const port = await freePort();
  const life = opts.maxLifeSeconds ?? 36_000;
  writeFileSync(
    join(dir, "krb5.conf"),
    `[libdefaults]
  default_realm = ${REALM}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  udp_preference_limit = 1
  default_ccache_name = FILE:${dir}/ccache
  default_client_keytab_name = FILE:${dir}/no-client.keytab
  default_keytab_name = FILE:${dir}/no-default.keytab

[realms]
  ${REALM} = {
    kdc = 127.0.0.1:${port}
  }

[domain_realm]
  localhost = ${REALM}
`,
  );
  writeFileSync(
    join(dir, "kdc.conf"),
    `[kdcdefaults]
  kdc_listen = 127.0.0.1:${port}
  kdc_tcp_listen = 127.0.0.1:${port}

[realms]
  ${REALM} = {
    database_name = ${dir}/principal
    key_stash_file = ${dir}/stash
    acl_file = ${dir}/kadm5.acl
    max_life = ${life}s
    max_renewable_life = 0
    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
  }

[logging]
  kdc = FILE:${dir}/kdc.log
`,
  );
  writeFileSync(join(dir, "kadm5.acl"), "");
  const env = {
    KRB5_CONFIG: join(dir, "krb5.conf"),
    KRB5_KDC_PROFILE: join(dir, "kdc.conf"),
    KRB5RCACHEDIR: dir,
    KRB5CCNAME: `FILE:${join(dir, "ccache")}`,
  };
  Object.assign(process.env, env);
  const run = (cmd: string, args: string[]) =>
    execFileSync(cmd, args, { env: { ...process.env, ...env }, encoding: "utf8", stdio: "pipe" });
  run("/usr/sbin/kdb5_util", ["create", "-s", "-r", REALM, "-P", "master-password-for-tests"]);
  const kadmin = (query: string) => run("/usr/sbin/kadmin.local", ["-r", REALM, "-q", query]);

  const kdc: ChildProcess = spawn("/usr/sbin/krb5kdc", ["-n", "-r", REALM], {
    env: { ...process.env, ...env },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => kdc.once("exit", () => resolve()));
  for (let i = 0; ; i++) {
    if (readLog(dir).includes("commencing operation")) break;
    if (kdc.exitCode !== null || i > 100) {
      throw new Error(`krb5kdc did not start:\n${readLog(dir)}`);
    }
    await sleep(50);
  }
  return {
    realm: REALM,
    dir,
    port,
    env,
    kadmin,
    addPrincipal: (name) => void kadmin(`addprinc -randkey ${name}`),
    keytab: (file, ...principals) => {
      const path = join(dir, file);
      for (const p of principals) kadmin(`ktadd -k ${path} -norandkey ${p}`);
      execFileSync("chmod", ["0400", path]);
      return path;
    },
    stop: async () => {
      if (kdc.exitCode === null) {
        kdc.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, "kdc.log"), "utf8");
  } catch {
    return "";
  }
}
