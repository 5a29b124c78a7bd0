// Reads a Hive service's policies (and, when they name roles, the roles) from Ranger Admin's public v2
// REST API: Basic auth, optional private CA, paged by startIndex/pageSize until a short page.

import { readFileSync } from "node:fs";
import { Agent, request } from "undici";
import { GsError } from "../../errors.ts";

export interface RangerRestOptions {
  /** Base URL of Ranger Admin, e.g. https://ranger:6182. */
  url: string;
  service: string;
  username?: string;
  passwordFile?: string;
  caFile?: string;
  pageSize: number;
  timeoutMs: number;
}

export interface RangerRestResult {
  /** The raw pages' items, to be validated by the document parser. */
  policies: unknown[];
  /** Undefined when no policy names a role, or when the account may not list roles. */
  roles?: unknown[];
  /** Why roles could not be read, when they were needed. */
  rolesProblem?: string;
}

function readSecret(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new GsError("GS_CONFIG_READ", `cannot read [policy] ${what} ${file}`, {
      location: file,
      cause: err,
    });
  }
}

/** Only scheme, host and port: nothing secret or long in messages. */
export function rangerOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "ranger";
  }
}

async function getJson(
  agent: Agent,
  url: URL,
  auth: string | undefined,
  timeoutMs: number,
): Promise<unknown> {
  const where = `${url.origin}${url.pathname}`;
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, {
      dispatcher: agent,
      headers: { accept: "application/json", ...(auth ? { authorization: auth } : {}) },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (err) {
    throw new GsError("GS_RANGER_UNAVAILABLE", `cannot reach Ranger Admin: ${(err as Error).message}`, {
      location: where,
      cause: err,
    });
  }
  const body = await res.body.text();
  if (res.statusCode === 401 || res.statusCode === 403)
    throw new GsError("GS_RANGER_AUTH", `Ranger Admin answered ${res.statusCode}`, { location: where });
  if (res.statusCode !== 200)
    throw new GsError(
      res.statusCode >= 500 ? "GS_RANGER_UNAVAILABLE" : "GS_RANGER_RESPONSE",
      `Ranger Admin answered ${res.statusCode}`,
      { location: where },
    );
  try {
    return JSON.parse(body);
  } catch {
    throw new GsError("GS_RANGER_RESPONSE", "Ranger Admin's answer is not JSON", { location: where });
  }
}

async function getPaged(
  agent: Agent,
  base: URL,
  auth: string | undefined,
  opts: RangerRestOptions,
): Promise<unknown[]> {
  const out: unknown[] = [];
  let previousFirst: string | undefined;
  for (let start = 0; ; start += opts.pageSize) {
    const url = new URL(base);
    url.searchParams.set("startIndex", String(start));
    url.searchParams.set("pageSize", String(opts.pageSize));
    const page = await getJson(agent, url, auth, opts.timeoutMs);
    if (!Array.isArray(page))
      throw new GsError("GS_RANGER_RESPONSE", "expected a JSON array of policies or roles", {
        location: `${base.origin}${base.pathname}`,
      });
    // A server that ignores startIndex would otherwise serve its first page forever.
    const first = JSON.stringify(page[0] ?? null);
    if (page.length > 0 && first === previousFirst)
      throw new GsError("GS_RANGER_RESPONSE", "Ranger Admin repeats the same page; it ignores startIndex", {
        location: `${base.origin}${base.pathname}`,
      });
    previousFirst = first;
    out.push(...page);
    if (page.length < opts.pageSize) return out;
  }
}

function namesRoles(policies: readonly unknown[]): boolean {
  const lists = ["policyItems", "denyPolicyItems", "allowExceptions", "denyExceptions"];
  return policies.some(
    (p) =>
      typeof p === "object" &&
      p !== null &&
      lists.some((k) => {
        const items = (p as Record<string, unknown>)[k];
        return Array.isArray(items) && items.some((i) => Array.isArray(i?.roles) && i.roles.length > 0);
      }),
  );
}

export async function fetchRangerPolicies(opts: RangerRestOptions): Promise<RangerRestResult> {
  const password = opts.passwordFile
    ? readSecret(opts.passwordFile, "password_file").toString("utf8").trim()
    : "";
  const auth = opts.username
    ? `Basic ${Buffer.from(`${opts.username}:${password}`).toString("base64")}`
    : undefined;
  const agent = new Agent({
    connections: 2,
    connect: { timeout: opts.timeoutMs, ...(opts.caFile ? { ca: readSecret(opts.caFile, "ca_file") } : {}) },
  });
  try {
    const root = opts.url.replace(/\/+$/, "");
    const policies = await getPaged(
      agent,
      new URL(`${root}/service/public/v2/api/service/${encodeURIComponent(opts.service)}/policy`),
      auth,
      opts,
    );
    if (!namesRoles(policies)) return { policies };
    try {
      return {
        policies,
        roles: await getPaged(agent, new URL(`${root}/service/public/v2/api/roles`), auth, opts),
      };
    } catch (err) {
      if (err instanceof GsError && err.code === "GS_RANGER_AUTH")
        return {
          policies,
          rolesProblem: `cannot list roles (${err.message}; listing roles needs a Ranger admin)`,
        };
      throw err;
    }
  } finally {
    await agent.close();
  }
}
