// Builds a small warehouse in a temp dir: a database with two tables (one partition inside the
// table directory, one outside it), a policy file, a locations file and a config pointing at them.

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Warehouse {
  dir: string;
  root: string;
  config: string;
  policy: string;
  locations: string;
  state: string;
  p(rel: string): string;
  writePolicy(text: string): void;
  cleanup(): void;
}

export const DEFAULT_POLICY = `[groups]
staff = sales_reader
users = orders_all

[roles]
sales_reader = server=server1->db=sales->action=select
orders_all = server=server1->db=sales->table=orders->action=all
`;

export function makeWarehouse(opts: { policy?: string; extraConfig?: string } = {}): Warehouse {
  const dir = mkdtempSync(join(tmpdir(), "gs-wh-"));
  const root = join(dir, "warehouse");
  const p = (rel: string) => join(root, rel);
  for (const d of [
    "sales.db/customers",
    "sales.db/orders/dt=2024-01-01",
    "archive/orders/dt=2023-12-31",
    "sales.db/_tmp",
  ]) {
    mkdirSync(p(d), { recursive: true });
  }
  for (const f of [
    "sales.db/customers/part-0.csv",
    "sales.db/orders/dt=2024-01-01/part-0.csv",
    "archive/orders/dt=2023-12-31/part-0.csv",
    "sales.db/_tmp/notes.txt",
  ]) {
    writeFileSync(p(f), "x\n");
    chmodSync(p(f), 0o640);
  }
  const policy = join(dir, "sentry-provider.ini");
  const locations = join(dir, "locations.ini");
  const config = join(dir, "grantsync.ini");
  const state = join(dir, "state");
  writeFileSync(policy, opts.policy ?? DEFAULT_POLICY);
  writeFileSync(
    locations,
    `[databases]
sales = ${p("sales.db")}
[tables]
sales.customers = ${p("sales.db/customers")}
sales.orders = ${p("sales.db/orders")}
[partitions]
sales.orders = ${p("sales.db/orders/dt=2024-01-01")}, ${p("archive/orders/dt=2023-12-31")}
`,
  );
  writeFileSync(config, posixConfig(root, "sentry-provider.ini", opts.extraConfig));
  return {
    dir,
    root,
    config,
    policy,
    locations,
    state,
    p,
    writePolicy: (text) => writeFileSync(policy, text),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A config for a POSIX tree at `root`, the policy file beside it, locations in locations.ini. */
export function posixConfig(root: string, policyFile: string, extra = ""): string {
  return `[policy]
file = ${policyFile}
server = server1
[catalog]
file = locations.ini
[target]
type = posix
roots = ${root}
[state]
dir = state
${extra}`;
}
