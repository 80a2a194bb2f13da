/**
 * A software authenticator for database tests: it answers WebAuthn options like a phone
 * would (discoverable ES256 credentials, user verification, a signature counter), so the
 * passkey use cases can be tested against @simplewebauthn/server without a browser. The
 * browser journey uses Chromium's virtual authenticator instead.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

interface Credential {
  id: Buffer;
  key: KeyObject;
  publicJwk: { x: string; y: string };
  rpId: string;
  userHandle: Buffer;
  counter: number;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

export interface Tamper {
  /** The origin the browser would write in clientDataJSON (a phishing site: another origin). */
  origin?: string;
  /** Answer another challenge than the one asked. */
  challenge?: string;
  /** Say the user was not verified (no PIN, no fingerprint). */
  userVerified?: boolean;
  /** Sign with this counter instead of the next one (a cloned authenticator). */
  counter?: number;
  /** Return this user handle instead of the credential's. */
  userHandle?: string;
}

export class SoftAuthenticator {
  readonly credentials: Credential[] = [];

  constructor(readonly origin: string) {}

  private authData(rpId: string, counter: number, userVerified: boolean, attested?: Credential): Buffer {
    const flags = 0x01 | (userVerified ? 0x04 : 0) | (attested ? 0x40 : 0);
    const head = Buffer.concat([sha256(rpId), Buffer.from([flags]), Buffer.alloc(4)]);
    head.writeUInt32BE(counter, 33);
    if (!attested) return head;
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(attested.publicJwk.x, 'base64url')],
        [-3, Buffer.from(attested.publicJwk.y, 'base64url')]
      ])
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(attested.id.length);
    return Buffer.concat([head, Buffer.alloc(16), idLength, attested.id, Buffer.from(cose)]);
  }

  private clientData(type: string, challenge: string, tamper: Tamper): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge: tamper.challenge ?? challenge, origin: tamper.origin ?? this.origin, crossOrigin: false }));
  }

  /** navigator.credentials.create(): a new discoverable credential (replacing one of the same user on this authenticator). */
  create(options: PublicKeyCredentialCreationOptionsJSON, tamper: Tamper = {}): RegistrationResponseJSON {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    const rpId = options.rp.id!;
    const userHandle = Buffer.from(options.user.id, 'base64url');
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (this.credentials.some((c) => excluded.has(b64(c.id)))) throw new Error('InvalidStateError: already registered');
    const credential: Credential = { id: randomBytes(32), key: privateKey, publicJwk: jwk, rpId, userHandle, counter: 0 };
    const same = this.credentials.findIndex((c) => c.rpId === rpId && c.userHandle.equals(userHandle));
    if (same >= 0) this.credentials.splice(same, 1);
    this.credentials.push(credential);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', this.authData(rpId, 0, tamper.userVerified ?? true, credential)]
      ]) as never
    );
    return {
      id: b64(credential.id),
      rawId: b64(credential.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64(this.clientData('webauthn.create', options.challenge, tamper)),
        attestationObject: b64(attestationObject),
        transports: ['internal']
      }
    };
  }

  /** navigator.credentials.get(): signs with an allowed credential, or the first discoverable one of this site. */
  get(options: PublicKeyCredentialRequestOptionsJSON, tamper: Tamper = {}, pick?: string): AuthenticationResponseJSON {
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const credential = this.credentials.find((c) => c.rpId === options.rpId && (pick ? b64(c.id) === pick : allowed.size === 0 || allowed.has(b64(c.id))));
    if (!credential) throw new Error('NotAllowedError: no credential');
    credential.counter = tamper.counter ?? credential.counter + 1;
    const authenticatorData = this.authData(credential.rpId, credential.counter, tamper.userVerified ?? true);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, tamper);
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), credential.key);
    return {
      id: b64(credential.id),
      rawId: b64(credential.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authenticatorData),
        signature: b64(signature),
        userHandle: tamper.userHandle ?? b64(credential.userHandle)
      }
    };
  }
}
