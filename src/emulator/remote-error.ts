// Hadoop exceptions as WebHDFS reports them: class, message and the HTTP status the NameNode's
// ExceptionHandler picks (IOException and SecurityException 403, FileNotFound 404, IllegalArgument 400).

export class RemoteError extends Error {
  constructor(
    readonly javaClassName: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "RemoteError";
  }

  /** Java's getSimpleName(): nested classes (`SecretManager$InvalidToken`) drop the outer name. */
  get exception(): string {
    return this.javaClassName.slice(
      Math.max(this.javaClassName.lastIndexOf("."), this.javaClassName.lastIndexOf("$")) + 1,
    );
  }

  /** JsonUtil.toJsonString(Exception) writes a TreeMap, so the keys come out alphabetically. */
  toJSON(): { RemoteException: { exception: string; javaClassName: string; message: string } } {
    return {
      RemoteException: {
        exception: this.exception,
        javaClassName: this.javaClassName,
        message: this.message,
      },
    };
  }
}

const make = (javaClassName: string, status: number) => (message: string) =>
  new RemoteError(javaClassName, message, status);

export const remote = {
  illegalArgument: make("java.lang.IllegalArgumentException", 400),
  hadoopIllegalArgument: make("org.apache.hadoop.HadoopIllegalArgumentException", 400),
  invalidPath: make("org.apache.hadoop.fs.InvalidPathException", 400),
  unsupported: make("java.lang.UnsupportedOperationException", 400),
  fileNotFound: make("java.io.FileNotFoundException", 404),
  acl: make("org.apache.hadoop.hdfs.protocol.AclException", 403),
  security: make("java.lang.SecurityException", 403),
  accessControl: make("org.apache.hadoop.security.AccessControlException", 403),
  authorization: make("org.apache.hadoop.security.authorize.AuthorizationException", 403),
  fileAlreadyExists: make("org.apache.hadoop.fs.FileAlreadyExistsException", 403),
  parentNotDirectory: make("org.apache.hadoop.fs.ParentNotDirectoryException", 403),
  pathIsNotEmptyDirectory: make("org.apache.hadoop.fs.PathIsNotEmptyDirectoryException", 403),
  standby: make("org.apache.hadoop.ipc.StandbyException", 403),
  retriable: make("org.apache.hadoop.ipc.RetriableException", 403),
  io: make("java.io.IOException", 403),
  invalidToken: make("org.apache.hadoop.security.token.SecretManager$InvalidToken", 403),
};

/** What ExceptionHandler does with a failed query parameter: IllegalArgumentException naming it. */
export function badParam(name: string, reason: string): RemoteError {
  return remote.illegalArgument(`Invalid value for webhdfs parameter "${name}": ${reason}`);
}
