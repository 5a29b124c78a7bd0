// Who a WebHDFS request runs as: on an insecure NameNode `user.name` (or the anonymous dr.who); on
// a Kerberized one the principal SPNEGO authenticated; `doas` for proxy users, or a `delegation`
// token this emulator issued earlier (valid for a renew interval, renewable up to a max lifetime).

import { randomBytes } from "node:crypto";
import type { EmulatorNamespace } from "./namespace.ts";
import type { Params } from "./params.ts";
import type { Caller } from "./permission.ts";
import { remote } from "./remote-error.ts";

/** hadoop.http.staticuser.user: the identity of a request that names nobody. */
export const ANONYMOUS_USER = "dr.who";

export interface TokenLifetimes {
  /** dfs.namenode.delegation.token.renew-interval (default 1 day). */
  renewIntervalMs?: number;
  /** dfs.namenode.delegation.token.max-lifetime (default 7 days). */
  maxLifetimeMs?: number;
}

interface TokenInfo {
  owner: string;
  expiresAt: number;
  maxDate: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly renewIntervalMs: number;
  private readonly maxLifetimeMs: number;

  constructor(lifetimes: TokenLifetimes = {}) {
    this.renewIntervalMs = lifetimes.renewIntervalMs ?? 86_400_000;
    this.maxLifetimeMs = lifetimes.maxLifetimeMs ?? 7 * 86_400_000;
  }

  issue(user: string): string {
    const token = randomBytes(24).toString("base64url");
    const now = Date.now();
    this.tokens.set(token, {
      owner: user,
      expiresAt: now + Math.min(this.renewIntervalMs, this.maxLifetimeMs),
      maxDate: now + this.maxLifetimeMs,
    });
    return token;
  }

  cancel(token: string): boolean {
    return this.tokens.delete(token);
  }

  /** The token's user; undefined when unknown, InvalidToken when expired. */
  owner(token: string): string | undefined {
    const info = this.tokens.get(token);
    if (info && Date.now() > info.expiresAt) {
      throw remote.invalidToken(
        `token (${token}) is expired, current time: ${Date.now()} expected renewal time: ${info.expiresAt}`,
      );
    }
    return info?.owner;
  }

  /** AbstractDelegationTokenSecretManager.renewToken: only the renewer, never past maxDate. */
  renew(token: string, renewer: string): number {
    const info = this.tokens.get(token);
    if (!info) throw remote.invalidToken("Renewal request for unknown token");
    const now = Date.now();
    if (info.maxDate < now) throw remote.invalidToken(`${renewer} tried to renew an expired token`);
    if (info.expiresAt < now) throw remote.invalidToken(`${renewer} tried to renew an expired token`);
    if (info.owner !== renewer) {
      throw remote.accessControl(`${renewer} tries to renew a token with renewer ${info.owner}`);
    }
    info.expiresAt = Math.min(info.maxDate, now + this.renewIntervalMs);
    return info.expiresAt;
  }
}

/**
 * The caller of a request. `kerberosUser` is set on a Kerberized emulator (undefined there when a
 * delegation token authenticates): then `user.name` is ignored, as the NameNode's filter does.
 */
export function authenticate(
  params: Params,
  ns: EmulatorNamespace,
  tokens: TokenStore,
  kerberosUser?: string,
): Caller {
  const token = params.get("delegation");
  let realUser: string;
  if (token !== undefined) {
    const owner = tokens.owner(token);
    if (owner === undefined) throw remote.invalidToken(`token (${token}) can't be found in cache`);
    realUser = owner;
  } else if (kerberosUser !== undefined) {
    realUser = kerberosUser;
  } else {
    realUser = params.user("user.name") ?? ANONYMOUS_USER;
  }
  const doAs = params.get("doas");
  if (doAs === undefined || doAs === realUser) return ns.caller(realUser);
  // Proxy-user rules are configuration; here only the superuser may impersonate.
  if (!ns.caller(realUser).isSuper) {
    throw remote.authorization(`User: ${realUser} is not allowed to impersonate ${doAs}`);
  }
  return ns.caller(doAs);
}
