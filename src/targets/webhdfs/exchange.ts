// One HTTP exchange through undici's dispatcher with a handler that only collects the body: a
// walk makes one request per path, and undici's request() API (a Readable body, a promise per
// stage, an abort listener per request) cost more CPU per path than the rest of the client.

import type { Agent, Dispatcher } from "undici";
import type { HttpAnswer } from "./spnego.ts";

export interface ExchangeOptions {
  origin: string;
  /** Path and query, already encoded. */
  path: string;
  method: "GET" | "PUT" | "DELETE";
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

export function exchange(agent: Agent, o: ExchangeOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const signal = o.signal;
    if (signal?.aborted) return reject(signal.reason);
    const handler = new Collector(resolve, reject, signal);
    agent.dispatch(
      { origin: o.origin, path: o.path, method: o.method, headers: o.headers, body: o.body },
      handler,
    );
  });
}

/**
 * undici's own request() handler interface (onConnect … onComplete): a handler with the newer
 * onRequestStart interface gets a wrapper and a controller per request and its headers parsed
 * into an object, which a walk's answers (eight headers, read by nobody) do not need.
 */
class Collector implements Dispatcher.DispatchHandler {
  private abortRequest: ((reason: Error) => void) | undefined;
  private status = 0;
  private rawHeaders: Buffer[] | undefined;
  private chunks: Buffer[] = [];
  /** Set when the signal aborted before undici connected the request. */
  private abortReason: unknown;
  private settled = false;

  constructor(
    private readonly resolve: (answer: HttpAnswer) => void,
    private readonly reject: (err: unknown) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    if (signal) abortsOf(signal).add(this);
  }

  abort(reason: unknown): void {
    if (this.abortRequest) {
      this.abortRequest(reason as Error);
      return;
    }
    // Still queued in undici: settle now, and abort it should it ever reach a socket.
    this.abortReason = reason;
    if (this.finish()) this.reject(reason);
  }

  onConnect(abort: (reason: Error) => void): void {
    this.abortRequest = abort;
    if (this.abortReason !== undefined) abort(this.abortReason as Error);
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    // 1xx answers come before the real one.
    if (status < 200) return true;
    this.status = status;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (!this.finish()) return;
    const c = this.chunks;
    const text = c.length === 0 ? "" : (c.length === 1 ? c[0]! : Buffer.concat(c)).toString("utf8");
    this.resolve(new Answer(this.status, this.rawHeaders, text));
  }

  onError(err: Error): void {
    if (this.finish()) this.reject(err);
  }

  /** True the first time: an exchange settles once. */
  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.signal) pending.get(this.signal)?.delete(this);
    return true;
  }
}

/** An answer whose headers are parsed when asked for (a redirect, SPNEGO), not for every read. */
class Answer implements HttpAnswer {
  private parsed: HttpAnswer["headers"] | undefined;

  constructor(
    readonly status: number,
    private readonly raw: Buffer[] | undefined,
    readonly text: string,
  ) {}

  get headers(): HttpAnswer["headers"] {
    this.parsed ??= parseHeaders(this.raw ?? []);
    return this.parsed;
  }
}

/** Lower-cased names; a repeated header (Set-Cookie) becomes a list, as undici's own parsing does. */
function parseHeaders(raw: readonly Buffer[]): HttpAnswer["headers"] {
  const out: HttpAnswer["headers"] = Object.create(null);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString("latin1").toLowerCase();
    const value = raw[i + 1]!.toString("latin1");
    const had = out[name];
    if (had === undefined) out[name] = value;
    else if (typeof had === "string") out[name] = [had, value];
    else had.push(value);
  }
  return out;
}

/**
 * The exchanges in flight per signal, aborted together by one listener: a walk's signal rides on
 * every request, and a listener added and removed per request showed up in profiles.
 */
const pending = new WeakMap<AbortSignal, Set<Collector>>();

function abortsOf(signal: AbortSignal): Set<Collector> {
  let set = pending.get(signal);
  if (!set) {
    const exchanges = new Set<Collector>();
    set = exchanges;
    pending.set(signal, exchanges);
    signal.addEventListener(
      "abort",
      () => {
        for (const e of exchanges) e.abort(signal.reason);
        exchanges.clear();
      },
      { once: true },
    );
  }
  return set;
}
