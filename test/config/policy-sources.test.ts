import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "../../src/config/load.ts";
import { isGsError } from "../../src/errors.ts";

const rest = "[catalog]\nfile = locations.ini\n[target]\nroots = /srv/warehouse\n";
const parse = (policy: string) => parseConfig(`[policy]\n${policy}\n${rest}`, "/etc/grantsync/grantsync.ini");

function refused(policy: string, key: RegExp): void {
  assert.throws(
    () => parse(policy),
    (e: unknown) => isGsError(e, "GS_CONFIG_INVALID") && key.test(e.message),
  );
}

describe("[policy] for Ranger and Hive's own grants", () => {
  it("reads a Ranger file source, paths relative to the config", () => {
    assert.deepEqual(
      parse("type = ranger\nfile = export.json\nservice = cm_hive\nroles_file = roles.json").policy,
      {
        type: "ranger",
        service: "cm_hive",
        file: "/etc/grantsync/export.json",
        rolesFile: "/etc/grantsync/roles.json",
        pageSize: 200,
      },
    );
  });

  it("reads a Ranger REST source with its login and CA", () => {
    const p = parse(
      "type = ranger\nurl = https://ranger:6182\nservice = cm_hive\nusername = auditor\npassword_file = ranger.pw\nca_file = /etc/ca.pem\npage_size = 50",
    ).policy;
    assert.deepEqual(p, {
      type: "ranger",
      service: "cm_hive",
      url: "https://ranger:6182",
      username: "auditor",
      passwordFile: "/etc/grantsync/ranger.pw",
      caFile: "/etc/ca.pem",
      pageSize: 50,
    });
  });

  it("refuses a Ranger source without a service, with both or neither of file and url, or with an inline password", () => {
    refused("type = ranger\nfile = export.json", /\[policy\] service/);
    refused("type = ranger\nservice = s", /exactly one of file and url/);
    refused("type = ranger\nservice = s\nfile = e.json\nurl = https://r:6182", /exactly one of file and url/);
    refused("type = ranger\nservice = s\nurl = ranger:6182", /http:\/\/ or https:\/\//);
    refused("type = ranger\nservice = s\nurl = https://r:6182\npassword = x", /password_file/);
  });

  it("reads Hive's grants from the metastore database, catalog hive unless told", () => {
    assert.deepEqual(
      parse("type = hms-grants\nurl = postgres://hive@db/metastore\npassword_file = hive.pw").policy,
      {
        type: "hms-grants",
        catalogName: "hive",
        url: "postgres://hive@db/metastore",
        passwordFile: "/etc/grantsync/hive.pw",
      },
    );
    refused("type = hms-grants", /\[policy\] url/);
  });

  it("still needs server for the Sentry sources", () => {
    refused("type = file\nfile = sentry.ini", /\[policy\] server/);
    refused("type = sentry-db\nurl = postgres://s@db/sentry", /\[policy\] server/);
  });
});
