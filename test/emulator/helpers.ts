// Shared by the emulator tests: a started emulator and a small WebHDFS caller over real HTTP.

import { after, before } from "node:test";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/emulator/server.ts";

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests index into arbitrary JSON answers
  json: any;
}

/** Starts one emulator for the enclosing describe() and closes it afterwards. */
export function useEmulator(opts: EmulatorOptions = {}): { readonly emu: Emulator } {
  const holder = {} as { emu: Emulator };
  before(async () => {
    holder.emu = await startEmulator({ port: 0, ...opts });
  });
  after(async () => {
    await holder.emu.close();
  });
  return holder;
}

export async function call(
  emu: Emulator,
  method: string,
  path: string,
  query: string,
  init: { body?: string; redirect?: "manual" | "follow" } = {},
): Promise<Reply> {
  const res = await fetch(`${emu.url}/webhdfs/v1${path}?${query}`, {
    method,
    body: init.body,
    redirect: init.redirect ?? "manual",
  });
  const text = await res.text();
  let json: unknown;
  if (res.headers.get("content-type") === "application/json") json = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, json };
}

export function remoteException(r: Reply): { exception: string; javaClassName: string; message: string } {
  return r.json?.RemoteException;
}
