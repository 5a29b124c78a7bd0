// Ages the tickets in an MIT FILE ccache (format version 4), so tests see a cache of expired
// tickets at once instead of waiting for a short ticket life to run out on the real clock.

import { readFileSync, writeFileSync } from "node:fs";

/** Rewrites every credential's times to a life that ended `agoSeconds` ago; returns how many. */
export function expireCcache(path: string, agoSeconds = 3_600): number {
  const buf = readFileSync(path);
  let at = 0;
  const u16 = () => {
    const v = buf.readUInt16BE(at);
    at += 2;
    return v;
  };
  const u32 = () => {
    const v = buf.readUInt32BE(at);
    at += 4;
    return v;
  };
  const bytes = () => {
    const n = u32();
    at += n;
  };
  const principal = () => {
    u32(); // name type
    const components = u32();
    bytes(); // realm
    for (let i = 0; i < components; i++) bytes();
  };
  const counted = () => {
    const n = u32();
    for (let i = 0; i < n; i++) {
      u16();
      bytes();
    }
  };
  if (u16() !== 0x0504) throw new Error(`${path}: not a version 4 FILE ccache`);
  const header = u16();
  at += header; // header tags
  principal(); // default principal
  const end = Math.floor(Date.now() / 1000) - agoSeconds;
  let aged = 0;
  while (at < buf.length) {
    principal(); // client
    principal(); // server
    u16(); // key enctype
    bytes(); // key
    const times = at;
    at += 16;
    // Cache configuration entries carry no times: leave them as they are.
    if (buf.readUInt32BE(times + 8) !== 0) {
      buf.writeUInt32BE(end - 60, times); // authtime
      buf.writeUInt32BE(end - 60, times + 4); // starttime
      buf.writeUInt32BE(end, times + 8); // endtime
      buf.writeUInt32BE(0, times + 12); // renew till
      aged++;
    }
    at += 1 + 4; // is_skey, flags
    counted(); // addresses
    counted(); // authorization data
    bytes(); // ticket
    bytes(); // second ticket
  }
  writeFileSync(path, buf);
  return aged;
}
