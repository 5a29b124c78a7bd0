import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isGsError } from "../../../src/errors.ts";
import { namenodeOrigin } from "../../../src/targets/webhdfs/endpoint.ts";
import {
  childPath,
  normalizeHdfsPath,
  requireUnderRoots,
  webhdfsUrlPath,
} from "../../../src/targets/webhdfs/paths.ts";

describe("webhdfsUrlPath", () => {
  it("encodes each segment so URL syntax in names stays literal", () => {
    assert.equal(
      webhdfsUrlPath("/data/a b/100%/k=v/#x/what?/é"),
      "/webhdfs/v1/data/a%20b/100%25/k%3Dv/%23x/what%3F/%C3%A9",
    );
  });

  it("encodes + and : so no server reads them as a space or a scheme", () => {
    assert.equal(webhdfsUrlPath("/a+b/c:d"), "/webhdfs/v1/a%2Bb/c%3Ad");
  });

  it("maps the root to /webhdfs/v1/", () => {
    assert.equal(webhdfsUrlPath("/"), "/webhdfs/v1/");
  });
});

describe("normalizeHdfsPath", () => {
  it("collapses repeated and trailing slashes", () => {
    assert.equal(normalizeHdfsPath("//data///sales/"), "/data/sales");
  });

  it("refuses relative paths and dot segments", () => {
    assert.throws(
      () => normalizeHdfsPath("data"),
      (e) => isGsError(e, "GS_PATH_OUTSIDE_ROOTS"),
    );
    assert.throws(
      () => normalizeHdfsPath("/data/../etc"),
      (e) => isGsError(e, "GS_PATH_OUTSIDE_ROOTS"),
    );
  });
});

describe("requireUnderRoots", () => {
  it("accepts a root and what lies below it, not a sibling sharing its prefix", () => {
    assert.equal(requireUnderRoots("/warehouse/", ["/warehouse"]), "/warehouse");
    assert.equal(requireUnderRoots("/warehouse/db/t", ["/warehouse"]), "/warehouse/db/t");
    assert.throws(
      () => requireUnderRoots("/warehouse2", ["/warehouse"]),
      (e) => isGsError(e, "GS_PATH_OUTSIDE_ROOTS"),
    );
  });

  it("treats / as a root covering everything", () => {
    assert.equal(requireUnderRoots("/x/y", ["/"]), "/x/y");
  });
});

describe("childPath", () => {
  it("joins below the root without a double slash", () => {
    assert.equal(childPath("/", "a"), "/a");
    assert.equal(childPath("/a", "b c"), "/a/b c");
  });
});

describe("namenodeOrigin", () => {
  it("accepts http(s) URLs, webhdfs schemes and bare host:port", () => {
    assert.equal(namenodeOrigin("nn1:9870"), "http://nn1:9870");
    assert.equal(namenodeOrigin("https://nn1:9871/"), "https://nn1:9871");
    assert.equal(namenodeOrigin("webhdfs://nn1:9870"), "http://nn1:9870");
    assert.equal(namenodeOrigin("swebhdfs://nn1:9871"), "https://nn1:9871");
  });

  it("refuses other schemes", () => {
    assert.throws(
      () => namenodeOrigin("hdfs://nn1:8020"),
      (e) => isGsError(e, "GS_CONFIG_INVALID"),
    );
  });
});
