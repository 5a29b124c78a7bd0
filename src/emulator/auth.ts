// Who a WebHDFS request runs as: on an insecure NameNode `user.name` (or the anonymous dr.who); on
// a Kerberized one the principal SPNEGO authenticated; `doas` for proxy users, or a `delegation`
// token this emulator issued earlier (valid for a renew interval, renewable up to a max lifetime).

import { randomBytes } from "node:crypto";
import type { EmulatorNamespace } from "./namespace.ts";
import type { Params } from "./params.ts";
import type { Caller } from "./permission.ts";
import { RemoteError, remote } from "./remote-error.ts";

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

  constructor(
    lifetimes: TokenLifetimes = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.renewIntervalMs = lifetimes.renewIntervalMs ?? 86_400_000;
    this.maxLifetimeMs = lifetimes.maxLifetimeMs ?? 7 * 86_400_000;
  }

  issue(user: string): string {
    const token = randomBytes(24).toString("base64url");
    const now = this.clock();
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
    if (info && this.clock() > info.expiresAt) {
      throw remote.invalidToken(
        `token (${token}) is expired, current time: ${this.clock()} expected renewal time: ${info.expiresAt}`,
      );
    }
    return info?.owner;
  }

  /** AbstractDelegationTokenSecretManager.renewToken: only the renewer, never past maxDate. */
  renew(token: string, renewer: string): number {
    const info = this.tokens.get(token);
    if (!info) throw remote.invalidToken("Renewal request for unknown token");
    const now = this.clock();
    if (info.maxDate < now) throw remote.invalidToken(`${renewer} tried to renew an expired token`);
    if (info.expiresAt < now) throw remote.invalidToken(`${renewer} tried to renew an expired token`);
    if (info.owner !== renewer) {
      throw remote.accessControl(`${renewer} tries to renew a token with renewer ${info.owner}`);
    }
    info.expiresAt = Math.min(info.maxDate, now + this.renewIntervalMs);
    return info.expiresAt;
  }
}

/** hadoop.proxyuser.NAME.groups: who may impersonate members of which groups (`*`: anyone). */
export type ProxyUsers = Readonly<Record<string, readonly string[]>>;

/** UserProvider: every failure to establish the caller reaches the client as a SecurityException. */
function identityError(cause: RemoteError): RemoteError {
  return remote.security(`Failed to obtain user group information: ${cause.javaClassName}: ${cause.message}`);
}

/** JspHelper.checkUsername: a name sent beside a token must be the token's user. */
function checkUsername(expected: string, name: string | undefined): void {
  if (name !== undefined && name !== expected) {
    throw remote.io(`Usernames not matched: name=${name} != expected=${expected}`);
  }
}

/**
 * The caller of a request (JspHelper.getUGI). `kerberosUser` is set on a Kerberized emulator
 * (undefined there when a delegation token authenticates). A token fixes the user: `user.name`
 * and `doas` may only repeat it, as proxy rules were checked when the token was issued. Otherwise
 * `doas` needs a proxy-user rule (DefaultImpersonationProvider) for the real user.
 */
export function authenticate(
  params: Params,
  ns: EmulatorNamespace,
  tokens: TokenStore,
  kerberosUser?: string,
  proxyUsers: ProxyUsers = {},
): Caller {
  const userName = params.user("user.name");
  const doAs = params.user("doas");
  try {
    const token = params.get("delegation");
    if (token !== undefined) {
      const owner = tokens.owner(token);
      if (owner === undefined) throw remote.invalidToken(`token (${token}) can't be found in cache`);
      checkUsername(owner, userName);
      checkUsername(owner, doAs);
      return ns.caller(owner);
    }
    const realUser = kerberosUser ?? userName ?? ANONYMOUS_USER;
    if (kerberosUser !== undefined) checkUsername(kerberosUser, userName);
    if (doAs === undefined) return ns.caller(realUser);
    const allowed = proxyUsers[realUser];
    const target = ns.caller(doAs);
    if (!allowed || !(allowed.includes("*") || allowed.some((g) => target.groups.has(g)))) {
      throw remote.authorization(`User: ${realUser} is not allowed to impersonate ${doAs}`);
    }
    return target;
  } catch (e) {
    throw e instanceof RemoteError && e.status !== 400 ? identityError(e) : e;
  }
}
