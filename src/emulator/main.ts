#!/usr/bin/env node
// grantsync-webhdfs-emulator: runs the in-memory WebHDFS NameNode emulator until SIGTERM/SIGINT,
// printing its URL on stdout once it listens so scripts can wait for that line.

import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import type { ProxyUsers } from "./auth.ts";
import { DEFAULT_FAULT_KINDS, type FaultKind } from "./faults.ts";
import { applySeed, parseGroupMapping, parseProxyUser, parseSeed, SeedError } from "./seed.ts";
import { startEmulator } from "./server.ts";

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return n;
}

function rate(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError("expected a number between 0 and 1");
  return n;
}

function kinds(value: string): FaultKind[] {
  const all: readonly string[] = ["503", "reset", "standby", "retriable", "timeout"];
  const list = value.split(",").map((s) => s.trim());
  const bad = list.find((k) => !all.includes(k));
  if (bad !== undefined)
    throw new InvalidArgumentError(`unknown fault kind "${bad}" (use ${all.join(", ")})`);
  return list as FaultKind[];
}

/** commander's parsers report a thrown Error as an invalid argument. */
function checked<T>(parse: (value: string, previous: T) => T) {
  return (value: string, previous: T): T => {
    try {
      return parse(value, previous);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

const program = new Command()
  .name("grantsync-webhdfs-emulator")
  .description("In-memory WebHDFS NameNode emulator with HDFS ACL semantics, for tests and benchmarks.")
  .option("--port <n>", "port to listen on (0 picks a free one)", int, 9870)
  .option("--datanode-port <n>", "port of the DataNode that OPEN, CREATE and APPEND redirect to", int, 0)
  .option("--host <addr>", "address to bind", "127.0.0.1")
  .option("--standby", "start as a standby NameNode (every request gets StandbyException)", false)
  .option("--latency-ms <n>", "delay every WebHDFS request by this many milliseconds", int, 0)
  .option("--error-rate <f>", "fraction (0..1) of WebHDFS requests that fail", rate, 0)
  .option(
    "--error-kinds <list>",
    `comma-separated fault kinds (default ${DEFAULT_FAULT_KINDS.join(",")})`,
    kinds,
  )
  .option("--ls-limit <n>", "dfs.ls.limit: LISTSTATUS_BATCH page size", int, 1000)
  .option("--superuser <name>", "NameNode process user (the HDFS superuser)", "hdfs")
  .option("--supergroup <name>", "dfs.permissions.superusergroup", "supergroup")
  .option(
    "--group-mapping <map>",
    "static group mapping: 'user=group,group;user2=group'",
    checked((v: string) => parseGroupMapping(v)),
  )
  .option(
    "--proxy-user <rule>",
    "NAME=GROUP,GROUP (or NAME=*): whom NAME may impersonate with doas (repeatable)",
    checked(parseProxyUser),
    {},
  )
  .option("--acls-disabled", "answer as a NameNode with dfs.namenode.acls.enabled=false", false)
  .option("--seed <file>", "start with the tree in this file (docs/WEBHDFS-EMULATOR.md)")
  .option("--kerberos", "require SPNEGO (Kerberos); needs --keytab and --principal", false)
  .option("--keytab <file>", "service keytab with the key of --principal")
  .option("--principal <name>", "SPNEGO service principal, HTTP/<host>@REALM")
  .option("--cookie-validity <s>", "seconds a hadoop.auth cookie is valid", int, 36_000)
  .option("--tls-cert <file>", "serve HTTPS with this PEM certificate (needs --tls-key)")
  .option("--tls-key <file>", "PEM private key of --tls-cert")
  .parse();

const o = program.opts<{
  port: number;
  datanodePort: number;
  host: string;
  standby: boolean;
  latencyMs: number;
  errorRate: number;
  errorKinds?: FaultKind[];
  lsLimit: number;
  superuser: string;
  supergroup: string;
  groupMapping?: Record<string, string[]>;
  proxyUser: ProxyUsers;
  aclsDisabled: boolean;
  seed?: string;
  kerberos: boolean;
  keytab?: string;
  principal?: string;
  cookieValidity: number;
  tlsCert?: string;
  tlsKey?: string;
}>();

if (o.kerberos && (o.keytab === undefined || o.principal === undefined)) {
  program.error("--kerberos needs --keytab and --principal");
}
if ((o.tlsCert === undefined) !== (o.tlsKey === undefined))
  program.error("--tls-cert and --tls-key go together");

let seedEntries: ReturnType<typeof parseSeed> = [];
if (o.seed !== undefined) {
  try {
    seedEntries = parseSeed(readFileSync(o.seed, "utf8"), o.seed);
  } catch (e) {
    program.error(`--seed: ${(e as Error).message}`);
  }
}

const { kerberos, keytab, principal, cookieValidity, tlsCert, tlsKey, datanodePort, ...rest } = o;
const { groupMapping, proxyUser, aclsDisabled, seed: _seedFile, ...settings } = rest;
const emulator = await startEmulator({
  ...settings,
  dataNodePort: datanodePort,
  ...(groupMapping ? { users: groupMapping } : {}),
  proxyUsers: proxyUser,
  aclsEnabled: !aclsDisabled,
  ...(kerberos && keytab && principal
    ? { kerberos: { keytab, principal, cookieValidityMs: cookieValidity * 1000 } }
    : {}),
  ...(tlsCert && tlsKey ? { tls: { cert: readFileSync(tlsCert), key: readFileSync(tlsKey) } } : {}),
});
try {
  applySeed(emulator.fs, seedEntries);
} catch (e) {
  await emulator.close();
  if (!(e instanceof SeedError)) throw e;
  program.error(`--seed: ${e.message}`);
}
process.stdout.write(`${emulator.url}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
