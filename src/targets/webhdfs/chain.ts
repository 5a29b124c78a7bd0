// The inodes the NameNode checks to reach a path (FSPermissionChecker's traverse of every ancestor,
// then the inode itself), each read with GETFILESTATUS and, when it has an ACL, GETACLSTATUS.

import type { InodeView } from "../../acl/access.ts";
import { GsError } from "../../errors.ts";
import { aclFromHdfs } from "./acl.ts";
import type { WebhdfsClient } from "./client.ts";
import { normalizeHdfsPath } from "./paths.ts";

/** `/` first, `path` last; reading needs no ownership, only what GETFILESTATUS needs. */
export async function readHdfsChain(client: WebhdfsClient, path: string): Promise<InodeView[]> {
  const components = normalizeHdfsPath(path)
    .split("/")
    .filter((c) => c !== "");
  const prefixes = ["/", ...components.map((_, i) => `/${components.slice(0, i + 1).join("/")}`)];
  const chain: InodeView[] = [];
  for (const p of prefixes) {
    const status = await client.getFileStatus(p);
    if (status.type === "SYMLINK") {
      throw new GsError("GS_PATH_UNSAFE", `cannot evaluate access to ${path}: ${p} is a symlink`, {
        location: p,
      });
    }
    const aclStatus = status.aclBit ? await client.getAclStatus(p) : undefined;
    chain.push({
      path: p,
      type: status.type === "DIRECTORY" ? "dir" : "file",
      owner: status.owner,
      group: status.group,
      acl: aclFromHdfs(aclStatus?.permission ?? status.permission, aclStatus),
    });
  }
  return chain;
}
