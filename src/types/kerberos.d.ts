// The part of the optional `kerberos` addon (mongodb-js/kerberos 7.x) grantsync uses, so type-checks
// and builds never need the addon installed; it is loaded only for [webhdfs] auth = kerberos.

declare module "kerberos" {
  export const GSS_MECH_OID_SPNEGO: number;

  export interface KerberosClient {
    step(challenge: string): Promise<string>;
  }

  export interface KerberosServer {
    readonly username: string;
    readonly contextComplete: boolean;
    step(challenge: string): Promise<string>;
  }

  export function initializeClient(
    service: string,
    options?: { principal?: string; mechOID?: number },
  ): Promise<KerberosClient>;

  export function initializeServer(service: string): Promise<KerberosServer>;
}
