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

class Collector implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private headers: HttpAnswer["headers"] = {};
  private chunks: Buffer[] = [];
  /** Set when the signal aborted before undici handed us the controller. */
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
    if (this.controller) {
      this.controller.abort(reason as Error);
      return;
    }
    // Still queued in undici: settle now, and abort it should it ever reach a socket.
    this.abortReason = reason;
    if (this.finish()) this.reject(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason !== undefined) controller.abort(this.abortReason as Error);
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: HttpAnswer["headers"]): void {
    // 1xx answers come before the real one.
    if (status < 200) return;
    this.status = status;
    this.headers = headers;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (!this.finish()) return;
    const c = this.chunks;
    const text = c.length === 0 ? "" : (c.length === 1 ? c[0]! : Buffer.concat(c)).toString("utf8");
    this.resolve({ status: this.status, headers: this.headers, text });
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
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
