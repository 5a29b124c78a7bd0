// A typed, promise-based WebHDFS client over one keep-alive undici Agent: ACL ops, listing (batched
// with a fallback), and the few namespace ops tests and tools need, all through HA and retries.

import type { Agent } from "undici";
import type { AclEntry } from "../../acl/entry.ts";
import { aclSpecParam, keySpecParam } from "./aclspec.ts";
import { ParsedAnswers } from "./answers.ts";
import { namenodeOrigin, newAgent, type Params, query } from "./endpoint.ts";
import { parseErrorResponse, WebhdfsRemoteError } from "./errors.ts";
import { exchange } from "./exchange.ts";
import { DEFAULT_RETRY, NameNodeSet } from "./ha.ts";
import { encodedUrlPath, normalizeHdfsPath } from "./paths.ts";
import { Semaphore } from "./semaphore.ts";
import { type Send, SpnegoSession } from "./spnego.ts";
import type { AclStatus, FileStatus, WebhdfsClientOptions } from "./types.ts";

export type { WebhdfsClientOptions } from "./types.ts";

type Method = "GET" | "PUT" | "DELETE";

interface RawResponse {
  /** Where a 307 sends the data of a CREATE. */
  location?: string;
  text: string;
}

export class WebhdfsClient {
  private readonly agent: Agent;
  private readonly namenodes: NameNodeSet;
  private readonly limit: Semaphore;
  /** `&user.name=…&doas=…&delegation=…` as configured: the same on every request. */
  private readonly authQuery: string;
  /** The same without a configured token, for requests that carry the session's own token. */
  private readonly authQueryBesideToken: string;
  private readonly spnego?: SpnegoSession;
  private batchListing = true;
  private readonly aclAnswers = new ParsedAnswers((text) => (JSON.parse(text) as AclBody).AclStatus);

  constructor(options: WebhdfsClientOptions) {
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.namenodes = new NameNodeSet(options.namenodes.map(namenodeOrigin), {
      ...DEFAULT_RETRY,
      ...options.retry,
    });
    this.limit = new Semaphore(options.maxInFlight ?? options.connections ?? 64);
    if (options.kerberos) {
      this.spnego = new SpnegoSession(options.kerberos);
      this.spnego.setTokenOps({
        get: async () =>
          (await this.json<TokenBody>("GET", "GETDELEGATIONTOKEN", "/", {}, ...KRB)).Token.urlString,
        renew: async (token) =>
          (await this.json<{ long: number }>("PUT", "RENEWDELEGATIONTOKEN", "/", { token }, ...KRB)).long,
        cancel: async (token) =>
          void (await this.json("PUT", "CANCELDELEGATIONTOKEN", "/", { token }, ...KRB)),
      });
    }
    // A Kerberized NameNode ignores user.name; the authenticated principal is the user.
    const user = options.delegation || options.kerberos ? undefined : options.user;
    this.authQueryBesideToken = query({ "user.name": user, doas: options.doas });
    this.authQuery = `${this.authQueryBesideToken}${query({ delegation: options.delegation })}`;
    this.agent = newAgent(options.connections ?? 64, timeoutMs, options.caFile);
  }

  /** SPNEGO handshakes so far (0 without Kerberos): a run should need about one per NameNode. */
  get handshakes(): number {
    return this.spnego?.handshakes ?? 0;
  }

  /** The NameNode that answered last; requests start there. */
  get activeNamenode(): string {
    return this.namenodes.activeNamenode;
  }

  async getFileStatus(path: string, signal?: AbortSignal): Promise<FileStatus> {
    const body = await this.json<{ FileStatus: FileStatus }>(
      "GET",
      "GETFILESTATUS",
      path,
      {},
      signal,
      URGENT,
    );
    return body.FileStatus;
  }

  async listStatus(path: string, signal?: AbortSignal): Promise<FileStatus[]> {
    type Body = { FileStatuses: { FileStatus: FileStatus[] } };
    const body = await this.json<Body>("GET", "LISTSTATUS", path, {}, signal, URGENT);
    return body.FileStatuses.FileStatus;
  }

  /**
   * The children of `path`, one NameNode page (dfs.ls.limit) at a time, so a huge directory is
   * never held in memory whole. Servers without LISTSTATUS_BATCH (2.x) get one LISTSTATUS instead.
   */
  async *listStatusBatches(path: string, signal?: AbortSignal): AsyncGenerator<FileStatus[]> {
    type Body = {
      DirectoryListing: {
        partialListing: { FileStatuses: { FileStatus: FileStatus[] } };
        remainingEntries: number;
      };
    };
    let startAfter: string | undefined;
    while (this.batchListing) {
      let listing: Body["DirectoryListing"];
      try {
        listing = (await this.json<Body>("GET", "LISTSTATUS_BATCH", path, { startAfter }, signal, URGENT))
          .DirectoryListing;
      } catch (err) {
        if (startAfter !== undefined || !isUnsupportedOp(err, "LISTSTATUS_BATCH")) throw err;
        this.batchListing = false;
        break;
      }
      const page = listing.partialListing.FileStatuses.FileStatus;
      yield page;
      // HttpFS answers remainingEntries as 1/0 rather than a count; both stop at 0.
      const last = page.at(-1);
      if (!last || listing.remainingEntries === 0) return;
      startAfter = last.pathSuffix;
    }
    yield await this.listStatus(path, signal);
  }

  /** Frozen and shared with every path that got the same answer. */
  async getAclStatus(path: string, signal?: AbortSignal): Promise<AclStatus> {
    return this.aclAnswers.get((await this.request("GET", "GETACLSTATUS", path, {}, signal)).text);
  }

  // The ACL writes: `stop` keeps a write from being sent (or retried) once aborted, and never cuts
  // one short in flight, so a write that failed did not land.

  async modifyAclEntries(path: string, entries: readonly AclEntry[], stop?: AbortSignal): Promise<void> {
    await this.json("PUT", "MODIFYACLENTRIES", path, { aclspec: aclSpecParam(entries) }, undefined, { stop });
  }

  /** Only the keys of `entries` are sent (`user:bob:`): REMOVEACLENTRIES rejects permissions. */
  async removeAclEntries(
    path: string,
    entries: readonly Pick<AclEntry, "scope" | "type" | "name">[],
    stop?: AbortSignal,
  ): Promise<void> {
    const aclspec = keySpecParam(entries);
    await this.json("PUT", "REMOVEACLENTRIES", path, { aclspec }, undefined, { stop });
  }

  async removeDefaultAcl(path: string, stop?: AbortSignal): Promise<void> {
    await this.json("PUT", "REMOVEDEFAULTACL", path, {}, undefined, { stop });
  }

  async removeAcl(path: string, stop?: AbortSignal): Promise<void> {
    await this.json("PUT", "REMOVEACL", path, {}, undefined, { stop });
  }

  async setAcl(path: string, entries: readonly AclEntry[], stop?: AbortSignal): Promise<void> {
    await this.json("PUT", "SETACL", path, { aclspec: aclSpecParam(entries) }, undefined, { stop });
  }

  async mkdirs(path: string, permission?: number): Promise<boolean> {
    const body = await this.json<{ boolean: boolean }>("PUT", "MKDIRS", path, {
      permission: octal(permission),
    });
    return body.boolean;
  }

  /** Two-step CREATE: the NameNode redirects (307) to where the data goes. Overwrites by default. */
  async create(
    path: string,
    data: string | Uint8Array,
    options: { overwrite?: boolean; permission?: number } = {},
  ): Promise<void> {
    const params = { overwrite: String(options.overwrite ?? true), permission: octal(options.permission) };
    const first = await this.request("PUT", "CREATE", path, params);
    if (first.location === undefined) return;
    const target = new URL(first.location);
    const second = await this.limit.run(() =>
      exchange(this.agent, {
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: "PUT",
        headers: { "content-type": "application/octet-stream" },
        body: data,
      }),
    );
    if (second.status >= 300) throw parseErrorResponse(second.status, second.text, "CREATE", path);
  }

  async delete(path: string, recursive = false): Promise<boolean> {
    const body = await this.json<{ boolean: boolean }>("DELETE", "DELETE", path, {
      recursive: String(recursive),
    });
    return body.boolean;
  }

  async close(): Promise<void> {
    await this.spnego?.close();
    await this.agent.close();
  }

  private async json<T = unknown>(
    method: Method,
    op: string,
    path: string,
    params: Params,
    signal?: AbortSignal,
    how: How = {},
  ): Promise<T> {
    const res = await this.request(method, op, path, params, signal, how);
    return (res.text === "" ? {} : JSON.parse(res.text)) as T;
  }

  private request(
    method: Method,
    op: string,
    path: string,
    params: Params,
    signal?: AbortSignal,
    { kerberosOnly = false, urgent = false, stop }: How = {},
  ): Promise<RawResponse> {
    const hdfsPath = normalizeHdfsPath(path);
    const opQuery = `${encodedUrlPath(hdfsPath)}?op=${op}`;
    const rest = query(params);
    const urlPath = (token: string | undefined) =>
      token === undefined
        ? `${opQuery}${this.authQuery}${rest}`
        : `${opQuery}${this.authQueryBesideToken}${query({ delegation: token })}${rest}`;
    const attempt = (origin: string) => () => {
      // Checked once a slot is ours: the last moment before the request is sent.
      stop?.throwIfAborted();
      return this.attempt(origin, method, urlPath, op, hdfsPath, signal, kerberosOnly);
    };
    // Token ops run while other requests hold every slot, waiting for the token: they go around.
    return this.namenodes.call(
      `${op} ${hdfsPath}`,
      (origin) => (kerberosOnly ? attempt(origin)() : this.limit.run(attempt(origin), urgent)),
      signal ?? stop,
    );
  }

  private async attempt(
    origin: string,
    method: Method,
    urlPath: (token: string | undefined) => string,
    op: string,
    path: string,
    signal: AbortSignal | undefined,
    kerberosOnly: boolean,
  ): Promise<RawResponse> {
    const send: Send = (auth) =>
      exchange(this.agent, {
        origin,
        path: urlPath(auth.delegation),
        method,
        headers: auth.headers,
        signal,
      });
    const s = this.spnego;
    const res = !s
      ? await send(NO_AUTH)
      : kerberosOnly
        ? await s.kerberos(origin, send)
        : await s.send(origin, send);
    const location = res.status === 307 && op === "CREATE" ? res.headers.location : undefined;
    if (typeof location === "string") return { text: res.text, location };
    if (res.status < 200 || res.status >= 300) throw parseErrorResponse(res.status, res.text, op, path);
    return { text: res.text };
  }
}

/** Credentials of a request on an insecure cluster: none beyond the query's user.name. */
const NO_AUTH = Object.freeze({ headers: Object.freeze({}) as Record<string, string> });

/** Delegation-token ops authenticate with Kerberos (cookie or SPNEGO), never with a token. */
const KRB = [undefined, { kerberosOnly: true }] as const;

interface How {
  /** Authenticate with Kerberos itself, and bypass the in-flight limit (see request()). */
  kerberosOnly?: boolean;
  /** Ahead of queued ACL requests: statuses and listings find the work that keeps the rest busy. */
  urgent?: boolean;
  /** Not sent (nor retried) once aborted; unlike a signal it never aborts the request in flight. */
  stop?: AbortSignal;
}

const URGENT: How = { urgent: true };

type TokenBody = { Token: { urlString: string } };
type AclBody = { AclStatus: AclStatus };

/** Old NameNodes reject an op they do not know with 400 naming it; HttpFS with UnsupportedOperation. */
function isUnsupportedOp(err: unknown, op: string): boolean {
  return (
    err instanceof WebhdfsRemoteError &&
    err.status === 400 &&
    (err.remoteMessage.includes(op) || err.is("UnsupportedOperationException"))
  );
}

function octal(mode: number | undefined): string | undefined {
  return mode === undefined ? undefined : mode.toString(8);
}
