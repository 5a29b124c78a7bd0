// A throwaway user in a throwaway group on this host (the tests run as root), for checks of what
// the kernel lets a real non-root user do. Named after the process, so parallel files never clash.

import { spawnSync } from "node:child_process";

export interface TestUser {
  user: string;
  group: string;
  cleanup(): void;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}

export function makeTestUser(tag: string): TestUser {
  const user = `gs${tag}u${process.pid}`;
  const group = `gs${tag}g${process.pid}`;
  run("groupadd", [group]);
  try {
    run("useradd", ["--no-create-home", "--shell", "/usr/sbin/nologin", "--gid", group, user]);
  } catch (err) {
    run("groupdel", [group]);
    throw err;
  }
  return {
    user,
    group,
    cleanup: () => {
      run("userdel", [user]);
      spawnSync("groupdel", [group]);
    },
  };
}

/** Runs `cmd` as the test user (through setpriv, with its groups), returning its exit status. */
export function runAs(u: TestUser, cmd: string[]): number {
  const r = spawnSync("setpriv", ["--reuid", u.user, "--regid", u.group, "--init-groups", ...cmd], {
    encoding: "utf8",
  });
  return r.status ?? -1;
}
